/**
 * Sample data for the ciap module: a handful of competitive-intelligence searches in every state,
 * their scraped results and scraping jobs, queued tasks, cache entries and per-scraper rate limits.
 *
 * Idempotent: every row is identified by a natural key (a search's query, a task's type and
 * payload, a cache key, a scraper name) and only created when missing, so running it again
 * changes nothing.
 */
import type { EntityManager } from "typeorm";
import type { SeedContext } from "../../../framework/seeds/seed-types";
import { Cache, RateLimit, ScrapingJob, Search, SearchResult, TaskQueue } from "../db-models";

interface SampleResult {
  readonly source: string;
  readonly title: string;
  readonly url: string;
  readonly snippet: string;
  readonly sentiment: number;
  readonly competitors: string[];
  readonly keywords: string[];
}

interface SampleSearch {
  readonly query: string;
  readonly status: "pending" | "processing" | "completed" | "failed";
  readonly sources: string[];
  readonly user: string;
  readonly error?: string;
  readonly results: readonly SampleResult[];
}

const DAY_MS = 86_400_000;

const SEARCHES: readonly SampleSearch[] = [
  {
    query: "project management software pricing",
    status: "completed",
    sources: ["google", "bing"],
    user: "analyst-maria",
    results: [
      { source: "google", title: "Compare Project Management Tools: Pricing Plans Explained", url: "https://example.com/pm-pricing-guide", snippet: "Plans start at $8 per user per month; enterprise tiers add SSO and audit logs.", sentiment: 0.42, competitors: ["Asana", "Monday.com"], keywords: ["pricing", "per seat", "enterprise"] },
      { source: "google", title: "Asana vs Trello vs Jira — which fits a 20-person team?", url: "https://example.com/asana-trello-jira", snippet: "Trello stays cheapest for small boards; Jira wins on workflows.", sentiment: 0.18, competitors: ["Asana", "Trello", "Jira"], keywords: ["comparison", "small team"] },
      { source: "bing", title: "Hidden costs of project management software", url: "https://example.com/hidden-costs-pm", snippet: "Add-ons, storage limits and guest seats can double the sticker price.", sentiment: -0.35, competitors: ["Monday.com"], keywords: ["add-ons", "cost"] },
    ],
  },
  {
    query: "acme corp product launch reviews",
    status: "completed",
    sources: ["google"],
    user: "analyst-tom",
    results: [
      { source: "google", title: "Acme Rocket 2 review: faster, pricier", url: "https://example.com/acme-rocket-2-review", snippet: "Performance is up 30% but the price rose by a third.", sentiment: 0.12, competitors: ["Acme Corp"], keywords: ["launch", "review", "price increase"] },
      { source: "google", title: "Customers react to Acme's new subscription model", url: "https://example.com/acme-subscription", snippet: "Forum threads show frustration with the move away from perpetual licences.", sentiment: -0.61, competitors: ["Acme Corp"], keywords: ["subscription", "backlash"] },
    ],
  },
  { query: "best crm for small business", status: "processing", sources: ["google", "duckduckgo"], user: "analyst-maria", results: [] },
  { query: "enterprise vpn alternatives", status: "failed", sources: ["google"], user: "analyst-tom", error: "google: rate limited (HTTP 429) after 3 retries", results: [] },
  { query: "open source observability tools", status: "pending", sources: ["google", "bing", "duckduckgo"], user: "analyst-lee", results: [] },
];

const TASKS: readonly { type: string; payload: Record<string, unknown>; priority: number; status: string }[] = [
  { type: "scrape", payload: { query: "open source observability tools", source: "google" }, priority: 3, status: "pending" },
  { type: "scrape", payload: { query: "open source observability tools", source: "bing" }, priority: 3, status: "pending" },
  { type: "analyze_sentiment", payload: { query: "acme corp product launch reviews" }, priority: 5, status: "completed" },
  { type: "retry_search", payload: { query: "enterprise vpn alternatives" }, priority: 2, status: "pending" },
  { type: "cleanup_cache", payload: { older_than_hours: 24 }, priority: 9, status: "pending" },
];

const RATE_LIMITS: readonly { scraper: string; requests: number }[] = [
  { scraper: "google", requests: 42 },
  { scraper: "bing", requests: 17 },
  { scraper: "duckduckgo", requests: 5 },
];

async function seedSearch(manager: EntityManager, sample: SampleSearch, now: number, created: Record<string, number>): Promise<void> {
  if ((await manager.findOneBy(Search, { query: sample.query })) !== null) return;
  const search = await manager.save(
    manager.create(Search, {
      query: sample.query,
      status: sample.status,
      sources: sample.sources,
      user_id: sample.user,
      error_message: sample.error ?? null,
      completed_at: sample.status === "completed" ? new Date(now - DAY_MS) : null,
    }),
  );
  created.searches = (created.searches ?? 0) + 1;
  for (const [position, result] of sample.results.entries()) {
    await manager.save(
      manager.create(SearchResult, {
        search_id: search.id,
        source: result.source,
        title: result.title,
        url: result.url,
        snippet: result.snippet,
        position: position + 1,
        sentiment_score: result.sentiment,
        competitor_mentioned: result.competitors,
        keywords: result.keywords,
      }),
    );
    created.search_results = (created.search_results ?? 0) + 1;
  }
  for (const source of sample.sources) {
    const finished = sample.status === "completed" || sample.status === "failed";
    await manager.save(
      manager.create(ScrapingJob, {
        search_id: search.id,
        scraper_name: source,
        status: sample.status === "processing" ? "processing" : sample.status,
        results_count: sample.results.filter((result) => result.source === source).length,
        started_at: sample.status === "pending" ? null : new Date(now - DAY_MS - 60_000),
        completed_at: finished ? new Date(now - DAY_MS) : null,
        error_log: sample.status === "failed" ? (sample.error ?? null) : null,
      }),
    );
    created.scraping_jobs = (created.scraping_jobs ?? 0) + 1;
  }
}

/** Creates the sample data that is missing; returns how many rows it created per table. */
export async function seed({ database }: SeedContext): Promise<Record<string, number>> {
  const created: Record<string, number> = {};
  const result = await database.transaction(async (manager) => {
    const now = Date.now();
    for (const sample of SEARCHES) await seedSearch(manager, sample, now, created);

    for (const task of TASKS) {
      // simple-json columns hold JSON.stringify(payload), so the stored text is the natural key.
      const existing = await manager
        .createQueryBuilder(TaskQueue, "task")
        .where("task.task_type = :type AND task.payload = :payload", { type: task.type, payload: JSON.stringify(task.payload) })
        .getExists();
      if (existing) continue;
      await manager.save(manager.create(TaskQueue, { task_type: task.type, payload: task.payload, priority: task.priority, status: task.status, completed_at: task.status === "completed" ? new Date(now) : null }));
      created.task_queue = (created.task_queue ?? 0) + 1;
    }

    for (const sample of SEARCHES.filter((candidate) => candidate.status === "completed")) {
      const key = `search:${sample.query.replace(/\s+/g, "-")}`;
      if ((await manager.findOneBy(Cache, { key })) !== null) continue;
      await manager.save(manager.create(Cache, { key, value: JSON.stringify({ results: sample.results.length, sources: sample.sources }), expires_at: new Date(now + 7 * DAY_MS) }));
      created.cache = (created.cache ?? 0) + 1;
    }

    for (const limit of RATE_LIMITS) {
      if ((await manager.findOneBy(RateLimit, { scraper_name: limit.scraper })) !== null) continue;
      await manager.save(manager.create(RateLimit, { scraper_name: limit.scraper, request_count: limit.requests, last_request_at: new Date(now - 60_000), reset_at: new Date(now + 3_600_000) }));
      created.rate_limits = (created.rate_limits ?? 0) + 1;
    }
  });
  if (result.isErr()) throw new Error(`${result.error.code}: ${result.error.message}`);
  return created;
}
