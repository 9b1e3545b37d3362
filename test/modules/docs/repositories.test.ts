import { SeedRunner } from "../../../framework/seeds/seed-runner";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ContentMetadataRepository } from "../../../modules/docs/repositories/content-metadata-repository";
import { FeedbackRepository } from "../../../modules/docs/repositories/feedback-repository";
import { SchemaVersionRepository } from "../../../modules/docs/repositories/schema-version-repository";
import { RELIABILITY_WEIGHT, SourceRepository } from "../../../modules/docs/repositories/source-repository";
import { SystemConfigRepository } from "../../../modules/docs/repositories/system-config-repository";
import { TechnologyMappingRepository } from "../../../modules/docs/repositories/technology-mapping-repository";
import { bootModules, type BootedModules } from "../../support/boot-modules";
import { sqliteConnection } from "../../../framework/engines/sqlite/sqlite-connection";

describe("docs repositories", () => {
  let booted: BootedModules;
  let content: ContentMetadataRepository;

  beforeAll(async () => {
    booted = await bootModules("docs-repos", ["docs"]);
    content = booted.framework.resolve(ContentMetadataRepository);
  });
  afterAll(() => booted.close());

  const doc = (id: string, technology: string, quality: number) => ({ content_id: id, title: `Doc ${id}`, source_url: `https://docs.example/${id}`, technology, content_hash: `hash-${id}`, quality_score: quality });

  it("records content metadata and finds it by technology and by quality", async () => {
    for (const [id, technology, quality] of [["r1", "react", 0.9], ["r2", "react", 0.4], ["r3", "react", 0.7], ["p1", "python", 0.95]] as const) {
      (await content.record(doc(id, technology, quality)))._unsafeUnwrap();
    }
    expect((await content.byTechnology("react"))._unsafeUnwrap().map((row) => row.content_id)).toEqual(["r1", "r3", "r2"]);
    expect((await content.byTechnology("react", { limit: 1 }))._unsafeUnwrap().map((row) => row.content_id)).toEqual(["r1"]);
    expect((await content.byQuality(0.7))._unsafeUnwrap().map((row) => row.content_id)).toEqual(["p1", "r1", "r3"]);
    expect((await content.byQuality(0.7, { technology: "react" }))._unsafeUnwrap().map((row) => row.content_id)).toEqual(["r1", "r3"]);
    expect((await content.byQuality(2))._unsafeUnwrapErr().code).toBe("VALIDATION_FAILED");

    const stored = (await content.get("r1"))._unsafeUnwrap();
    expect(stored).toMatchObject({ processing_status: "pending", freshness_score: 1, access_count: 0, last_accessed_at: null, word_count: 0 });
    expect((await content.get("missing"))._unsafeUnwrapErr().code).toBe("RECORD_NOT_FOUND");
  });

  it("lets the CHECKs judge ranges: a bad score is CONSTRAINT_VIOLATION and writes nothing", async () => {
    expect((await content.record(doc("bad", "react", 1.2)))._unsafeUnwrapErr().code).toBe("CONSTRAINT_VIOLATION");
    expect((await content.get("bad"))._unsafeUnwrapErr().code).toBe("RECORD_NOT_FOUND");
    expect((await content.record({ ...doc("bad", "react", 0.5), title: "" }))._unsafeUnwrapErr().details?.field).toBe("title");
    expect((await content.setStatus("r1", "archived" as "failed"))._unsafeUnwrapErr().code).toBe("CONSTRAINT_VIOLATION");
    expect((await content.get("r1"))._unsafeUnwrap().processing_status).toBe("pending");
  });

  it("counts every access, also concurrent ones", async () => {
    await Promise.all(Array.from({ length: 25 }, () => content.recordAccess("r2")));
    const row = (await content.get("r2"))._unsafeUnwrap();
    expect(row.access_count).toBe(25);
    expect(row.last_accessed_at).not.toBeNull();
    expect((await content.recordAccess("missing"))._unsafeUnwrapErr().code).toBe("RECORD_NOT_FOUND");
  });

  it("records a validated ProcessedDocument", async () => {
    const recorded = (
      await content.recordProcessedDocument({
        id: "pd-1",
        title: "Hooks",
        full_content: "# Hooks\nuse them",
        source_url: "https://react.dev/hooks",
        technology: "react",
        quality_score: 0.8,
        metadata: { word_count: 3, heading_count: 1, code_block_count: 0, content_hash: "hash-pd-1" },
        chunks: [
          { id: "c0", parent_document_id: "pd-1", content: "# Hooks", chunk_index: 0, total_chunks: 2 },
          { id: "c1", parent_document_id: "pd-1", content: "use them", chunk_index: 1, total_chunks: 2 },
        ],
      })
    )._unsafeUnwrap();
    expect(recorded).toMatchObject({ content_id: "pd-1", chunk_count: 2, word_count: 3, heading_count: 1, processing_status: "completed", quality_score: 0.8 });
    const invalid = (await content.recordProcessedDocument({ id: "pd-2", title: "x", full_content: "", source_url: "u", technology: "t", quality_score: 0.5, metadata: {}, chunks: [] }))._unsafeUnwrapErr();
    expect(invalid.details?.field).toBe("metadata.word_count");
    expect((await content.get("pd-2"))._unsafeUnwrapErr().code).toBe("RECORD_NOT_FOUND");
  });

  it("records feedback and usage signals and aggregates them per content", async () => {
    const feedback = booted.framework.resolve(FeedbackRepository);
    for (const [type, rating] of [["helpful", 5], ["helpful", 4], ["outdated", null], ["not_helpful", 1]] as const) {
      (await feedback.recordFeedback({ content_id: "r3", feedback_type: type, rating, user_session_id: "sess-1" }))._unsafeUnwrap();
    }
    for (const [type, value] of [["click", 1], ["click", 1], ["dwell_time", 30], ["dwell_time", 90], ["scroll_depth", 75]] as const) {
      (await feedback.recordSignal({ content_id: "r3", signal_type: type, signal_value: value, search_query: "hooks" }))._unsafeUnwrap();
    }
    (await feedback.recordFeedback({ content_id: "r1", feedback_type: "flag" }))._unsafeUnwrap();

    const summary = (await feedback.summarize("r3"))._unsafeUnwrap();
    expect(summary.feedback_count).toBe(4);
    expect(summary.feedback_by_type).toEqual({ helpful: 2, not_helpful: 1, outdated: 1, incorrect: 0, flag: 0 });
    expect(summary.rating_count).toBe(3);
    expect(summary.average_rating).toBeCloseTo(10 / 3);
    expect(summary.signals_by_type.click).toEqual({ count: 2, total: 2, average: 1 });
    expect(summary.signals_by_type.dwell_time).toEqual({ count: 2, total: 120, average: 60 });
    expect(summary.signals_by_type.copy).toEqual({ count: 0, total: 0, average: 0 });
    expect((await feedback.summarize("nothing-here"))._unsafeUnwrap()).toMatchObject({ feedback_count: 0, average_rating: null });

    expect((await feedback.recordFeedback({ content_id: "r3", feedback_type: "helpful", rating: 9 }))._unsafeUnwrapErr().code).toBe("CONSTRAINT_VIOLATION");
    expect((await feedback.recordSignal({ content_id: "ghost", signal_type: "click" }))._unsafeUnwrapErr().code).toBe("CONSTRAINT_VIOLATION");
    expect((await feedback.summarize("r3"))._unsafeUnwrap().feedback_count).toBe(4);
  });

  it("tracks source success, failure, reliability and consecutive failures", async () => {
    const sources = booted.framework.resolve(SourceRepository);
    const source = (await sources.register({ source_id: "gh-react", source_type: "github", source_url: "https://github.com/reactjs/react.dev", technology: "react" }))._unsafeUnwrap();
    expect(source).toMatchObject({ reliability_score: 1, consecutive_failures: 0, is_active: true, rate_limit_status: "normal" });

    const reset = new Date(Date.now() + 60_000);
    (await sources.recordFailure("gh-react"))._unsafeUnwrap();
    const twice = (await sources.recordFailure("gh-react", { rateLimit: { status: "limited", resetAt: reset } }))._unsafeUnwrap();
    expect(twice.consecutive_failures).toBe(2);
    expect(twice.reliability_score).toBeCloseTo((1 - RELIABILITY_WEIGHT) ** 2);
    expect(twice.rate_limit_status).toBe("limited");
    expect(twice.last_failed_fetch).not.toBeNull();
    expect((await sources.failing(2))._unsafeUnwrap().map((row) => row.source_id)).toEqual(["gh-react"]);

    const first = (await sources.recordSuccess("gh-react", { processingTimeMs: 400, documents: 4, contentQuality: 0.5 }))._unsafeUnwrap();
    expect(first.consecutive_failures).toBe(0);
    expect(first.reliability_score).toBeCloseTo(twice.reliability_score + RELIABILITY_WEIGHT * (1 - twice.reliability_score));
    expect([first.total_documents_processed, first.avg_processing_time_ms, first.rate_limit_status]).toEqual([4, 100, "normal"]);
    expect(first.avg_content_quality).toBeCloseTo(0.5);
    const second = (await sources.recordSuccess("gh-react", { processingTimeMs: 1200, documents: 4, contentQuality: 0.9 }))._unsafeUnwrap();
    expect([second.total_documents_processed, second.avg_processing_time_ms]).toEqual([8, 200]);
    expect(second.avg_content_quality).toBeCloseTo(0.7);
    expect((await sources.failing(1))._unsafeUnwrap()).toEqual([]);

    expect((await sources.recordSuccess("gh-react", { processingTimeMs: -1, documents: 1 }))._unsafeUnwrapErr().details?.field).toBe("processingTimeMs");
    expect((await sources.recordFailure("missing"))._unsafeUnwrapErr().code).toBe("RECORD_NOT_FOUND");
    expect((await sources.register({ source_type: "ftp", source_url: "u", technology: "t" }))._unsafeUnwrapErr().code).toBe("CONSTRAINT_VIOLATION");
  });

  it("lists a technology's mappings by priority, highest first", async () => {
    const mappings = booted.framework.resolve(TechnologyMappingRepository);
    (await mappings.add({ technology: "vue", source_type: "web", base_url: "https://blog.example/vue", priority: 2 }))._unsafeUnwrap();
    (await mappings.add({ technology: "vue", source_type: "github", owner: "vuejs", repo: "docs", docs_path: "src", priority: 10, is_official: true }))._unsafeUnwrap();
    (await mappings.add({ technology: "vue", source_type: "web", base_url: "https://vuejs.org/guide", priority: 10, is_official: false, file_patterns: ["*.html"] }))._unsafeUnwrap();
    const listed = (await mappings.byTechnology("vue"))._unsafeUnwrap();
    expect(listed.map((row) => [row.priority, row.is_official, row.owner ?? row.base_url])).toEqual([
      [10, true, "vuejs"],
      [10, false, "https://vuejs.org/guide"],
      [2, false, "https://blog.example/vue"],
    ]);
    expect(listed[0]?.file_patterns).toEqual(["*.md", "*.mdx"]);
    expect(listed[1]?.file_patterns).toEqual(["*.html"]);
    // UNIQUE(technology, source_type, owner, repo, base_url): a full duplicate is refused...
    (await mappings.add({ technology: "vue", source_type: "github", owner: "vuejs", repo: "core", base_url: "https://github.com" }))._unsafeUnwrap();
    expect((await mappings.add({ technology: "vue", source_type: "github", owner: "vuejs", repo: "core", base_url: "https://github.com" }))._unsafeUnwrapErr().code).toBe("CONSTRAINT_VIOLATION");
    // ...while NULLs never collide, in SQLite as in the seed's PostgreSQL.
    (await mappings.add({ technology: "vue", source_type: "github", owner: "vuejs", repo: "docs", base_url: null }))._unsafeUnwrap();
  });

  it("keeps runtime settings as JSON and schema versions once", async () => {
    const settings = booted.framework.resolve(SystemConfigRepository);
    (await settings.set("search.max_results", { limit: 20 }, "tester"))._unsafeUnwrap();
    expect((await settings.get("search.max_results"))._unsafeUnwrap()).toMatchObject({ value: { limit: 20 }, updated_by: "tester", schema_version: "1.0" });
    expect((await settings.set("bad", undefined))._unsafeUnwrapErr().code).toBe("VALIDATION_FAILED");
    const versions = booted.framework.resolve(SchemaVersionRepository);
    expect((await versions.record("2.0.0", "second"))._unsafeUnwrap()).toBe(true);
    expect((await versions.record("2.0.0", "again"))._unsafeUnwrap()).toBe(false);
  });

  it("seeds defaults idempotently", async () => {
    const db = sqliteConnection(booted.database("docs"));
    const snapshot = () => ["schema_versions", "system_config", "technology_mappings"].map((table) => db.prepare(`SELECT * FROM ${table} ORDER BY 1`).all());
    const rowCounts = () => Object.fromEntries(["schema_versions", "system_config", "technology_mappings"].map((table) => [table, (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n]));
    const before = rowCounts();
    const [outcome] = (await booted.framework.resolve(SeedRunner).run("docs"))._unsafeUnwrap();
    const after = rowCounts();
    // The seed reports exactly the rows it added (earlier tests may already have written a setting).
    expect(outcome?.created).toEqual(Object.fromEntries(Object.entries(after).map(([table, count]) => [table, count - (before[table] ?? 0)]).filter(([, added]) => Number(added) > 0)));
    expect(outcome?.created.technology_mappings).toBe(6);
    const first = snapshot();
    expect((await booted.framework.resolve(TechnologyMappingRepository).byTechnology("react"))._unsafeUnwrap().map((row) => row.priority)).toEqual([10, 5]);
    expect((await booted.framework.resolve(SystemConfigRepository).get("search.cache_ttl_seconds"))._unsafeUnwrap().value).toBe(3600);
    expect((await booted.framework.resolve(SeedRunner).run("docs"))._unsafeUnwrap().map((outcome) => outcome.created)).toEqual([{}]);
    expect(snapshot()).toEqual(first);
  });
});
