import path from "node:path";
import Database from "better-sqlite3";
import type { Framework } from "../../framework";
import { ContentMetadataRepository } from "../../modules/docs/repositories/content-metadata-repository";
import { SearchCacheRepository } from "../../modules/docs/repositories/search-cache-repository";
import { latency, ok, report } from "./latency";

const DOCUMENTS = 100_000;
const TECHNOLOGIES = ["react", "vue", "svelte", "angular", "solid", "qwik", "lit", "preact", "ember", "alpine"];
const EXPIRED = 20_000;
const LIVE = 20_000;

function stamp(ms: number): string {
  return new Date(ms).toISOString().replace("T", " ").replace("Z", "");
}

/**
 * Seed 004's targets: an indexed query on `content_metadata` (100k documents, by technology, best
 * quality first) under 50 ms p99, a search-cache operation (get, put) under 10 ms p99, each next to
 * the same SQL on a bare connection; then the expired-entry sweep of `search_cache` measured.
 */
export async function benchDocs(framework: Framework, dataDir: string): Promise<void> {
  const raw = new Database(path.join(dataDir, "docs.db"));
  raw.pragma("busy_timeout = 5000");
  const insert = raw.prepare("INSERT INTO content_metadata (content_id, title, source_url, technology, content_hash, quality_score) VALUES (?, ?, ?, ?, ?, ?)");
  raw.transaction(() => {
    for (let i = 0; i < DOCUMENTS; i += 1) insert.run(`doc-${i}`, `Document ${i}`, `https://docs.example/${i}`, TECHNOLOGIES[i % TECHNOLOGIES.length], `hash-${i}`, (i % 100) / 100);
  })();
  console.log(`  filled content_metadata with ${DOCUMENTS} rows`);

  const content = framework.resolve(ContentMetadataRepository);
  const byTechnology = raw.prepare("SELECT * FROM content_metadata WHERE technology = ? ORDER BY quality_score DESC, created_at DESC, content_id LIMIT ?");
  report(
    "indexed query: documents of a technology (20)",
    await latency((i) => content.byTechnology(TECHNOLOGIES[i % TECHNOLOGIES.length] ?? "react", { limit: 20 }).then(ok)),
    await latency((i) => byTechnology.all(TECHNOLOGIES[i % TECHNOLOGIES.length], 20)),
    50,
  );

  const cache = framework.resolve(SearchCacheRepository);
  const results = Array.from({ length: 10 }, (_, index) => ({ id: index, title: `Result ${index}`, score: 0.9 - index / 100 }));
  for (let i = 0; i < 200; i += 1) ok(await cache.put({ query: `query ${i}`, results, ttlMs: 3_600_000 }));
  const rawPut = raw.prepare(
    "INSERT INTO search_cache (query_hash, original_query, search_results, result_count, created_at, expires_at, last_accessed_at) VALUES (?, ?, ?, 10, ?, ?, ?) ON CONFLICT(query_hash) DO UPDATE SET search_results = excluded.search_results, expires_at = excluded.expires_at",
  );
  const json = JSON.stringify(results);
  report(
    "search cache put",
    await latency((i) => cache.put({ query: `query ${i % 200}`, results, ttlMs: 3_600_000 }).then(ok)),
    await latency((i) => rawPut.run(`raw-${i % 200}`, `query ${i}`, json, stamp(Date.now()), stamp(Date.now() + 3_600_000), stamp(Date.now()))),
    10,
  );
  const rawGet = raw.prepare("UPDATE search_cache SET access_count = access_count + 1, last_accessed_at = ?, cache_hit = 1 WHERE query_hash = ? AND expires_at > ? RETURNING *");
  report(
    "search cache get (hit)",
    await latency((i) => cache.get(`query ${i % 200}`).then(ok)),
    await latency((i) => rawGet.get(stamp(Date.now()), `raw-${i % 200}`, stamp(Date.now()))),
    10,
  );

  const insertCache = raw.prepare("INSERT INTO search_cache (query_hash, original_query, search_results, expires_at) VALUES (?, ?, '[]', ?)");
  raw.transaction(() => {
    for (let i = 0; i < EXPIRED; i += 1) insertCache.run(`expired-${i}`, `expired ${i}`, stamp(Date.now() - 60_000 - i));
    for (let i = 0; i < LIVE; i += 1) insertCache.run(`live-${i}`, `live ${i}`, stamp(Date.now() + 3_600_000));
  })();
  const started = performance.now();
  const swept = ok(await cache.cleanupExpired());
  const sweepMs = performance.now() - started;
  console.log(`  expired-entry cleanup: ${swept} expired of ${EXPIRED + LIVE + 400} rows deleted in ${sweepMs.toFixed(1)} ms (${((swept / sweepMs) * 1000).toFixed(0)} rows/s); ${(raw.prepare("SELECT COUNT(*) AS n FROM search_cache").get() as { n: number }).n} live rows left`);
  raw.close();
}
