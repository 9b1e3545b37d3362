import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, snapshotDatabase, startApi, type ApiUnderTest } from "../../support/http-harness";
import { createModuleRoot } from "../../support/module-root";

const BASE = "/api/v1/modules/docs";
const chunk = (index: number, total = 2) => ({ id: `c${index}`, parent_document_id: "doc-1", content: `part ${index}`, chunk_index: index, total_chunks: total });
const documentBody = () => ({
  id: "doc-1",
  title: "Hooks guide",
  full_content: "part 0 part 1",
  source_url: "https://docs.example/hooks",
  technology: "react",
  quality_score: 0.8,
  metadata: { word_count: 120, heading_count: 3, code_block_count: 2, content_hash: "abc123" },
  chunks: [chunk(0), chunk(1)],
});

describe("docs module routes over HTTP", () => {
  const temp = createModuleRoot("docs-routes-module", ["docs"]);
  let api: ApiUnderTest;
  beforeAll(async () => {
    api = await startApi(temp, {}, { strict: true });
  });
  afterAll(async () => {
    await api?.stop();
    temp.remove();
  });

  it("records a processed document after validating it as the canonical model", async () => {
    const recorded = await call(api.url, "POST", `${BASE}/documents`, { json: documentBody() });
    expect(recorded.status).toBe(201);
    expect(recorded.body).toMatchObject({ content_id: "doc-1", title: "Hooks guide", technology: "react", chunk_count: 2, word_count: 120, quality_score: 0.8, processing_status: "completed" });
    expect((await call(api.url, "GET", `${BASE}/documents/doc-1`)).body.content_hash).toBe("abc123");

    const file = path.join(temp.dataDir, "docs.db");
    const before = snapshotDatabase(file);
    const misordered = await call(api.url, "POST", `${BASE}/documents`, { json: { ...documentBody(), chunks: [chunk(1), chunk(0)] } });
    expect(misordered.status).toBe(400);
    expect(misordered.body.error).toMatchObject({ code: "VALIDATION_FAILED", details: { field: "chunks[0].chunk_index" } });
    const outOfRange = await call(api.url, "POST", `${BASE}/documents`, { json: { ...documentBody(), quality_score: 3 } });
    expect(outOfRange.status).toBe(400);
    expect(snapshotDatabase(file)).toBe(before);
    expect((await call(api.url, "GET", `${BASE}/documents/nope`)).status).toBe(404);
  });

  it("records feedback and summarises it; feedback on an unknown document is refused", async () => {
    const first = await call(api.url, "POST", `${BASE}/feedback`, { json: { content_id: "doc-1", feedback_type: "helpful", rating: 5 } });
    expect(first.status).toBe(201);
    expect(first.body.event_id).toMatch(/^[0-9a-f-]{36}$/);
    await call(api.url, "POST", `${BASE}/feedback`, { json: { content_id: "doc-1", feedback_type: "outdated", rating: 2, comment: "v17 only" } });
    const summary = await call(api.url, "GET", `${BASE}/documents/doc-1/feedback`);
    expect(summary.body).toMatchObject({ content_id: "doc-1", feedback_count: 2, rating_count: 2, average_rating: 3.5, feedback_by_type: { helpful: 1, outdated: 1, flag: 0 } });
    const unknown = await call(api.url, "POST", `${BASE}/feedback`, { json: { content_id: "ghost", feedback_type: "helpful" } });
    expect(unknown.status).toBe(409);
    expect(unknown.body.error).toMatchObject({ code: "CONSTRAINT_VIOLATION", details: { constraint: "foreign_key" } });
    expect(unknown.text).not.toMatch(/SQLITE|FOREIGN KEY constraint failed/);
    const badRating = await call(api.url, "POST", `${BASE}/feedback`, { json: { content_id: "doc-1", feedback_type: "helpful", rating: 9 } });
    expect(badRating.status).toBe(409);
    expect(badRating.body.error.details.constraint).toBe("check");
  });

  it("sets and gets search-cache entries, which the generic API does not show", async () => {
    const miss = await call(api.url, "GET", `${BASE}/search-cache?query=${encodeURIComponent("use effect")}`);
    expect(miss.body).toEqual({ hit: false, entry: null });
    const put = await call(api.url, "PUT", `${BASE}/search-cache`, { json: { query: "use effect", technology_hint: "react", results: [{ id: "doc-1" }], ttl_ms: 60_000 } });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ original_query: "use effect", technology_hint: "react", result_count: 1, search_results: [{ id: "doc-1" }] });
    const hit = await call(api.url, "GET", `${BASE}/search-cache?query=${encodeURIComponent("Use Effect ")}&technology_hint=react`);
    expect(hit.body).toMatchObject({ hit: true, entry: { query_hash: put.body.query_hash, access_count: 1, cache_hit: true } });
    // Another hint is another entry.
    expect((await call(api.url, "GET", `${BASE}/search-cache?query=use%20effect`)).body.hit).toBe(false);
    expect((await call(api.url, "PUT", `${BASE}/search-cache`, { json: { query: "x", results: [], ttl_ms: 0 } })).status).toBe(400);
    expect((await call(api.url, "GET", "/api/v1/db/databases/docs/tables/search_cache")).body.error.code).toBe("TABLE_NOT_FOUND");
  });
});
