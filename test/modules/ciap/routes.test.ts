import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, snapshotDatabase, startApi, type ApiUnderTest } from "../../support/http-harness";
import { createModuleRoot } from "../../support/module-root";
import path from "node:path";

const BASE = "/api/v1/modules/ciap";

describe("ciap module routes over HTTP", () => {
  const temp = createModuleRoot("ciap-routes", ["ciap"]);
  let api: ApiUnderTest;
  beforeAll(async () => {
    api = await startApi(temp, {}, { strict: true });
  });
  afterAll(async () => {
    await api?.stop();
    temp.remove();
  });

  it("creates a search, stores its results all or none, and lists them by position", async () => {
    const created = await call(api.url, "POST", `${BASE}/searches`, { json: { query: "acme pricing", sources: ["google", "bing"] } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: 1, query: "acme pricing", status: "pending", sources: ["google", "bing"], user_id: null, completed_at: null });
    expect(Date.parse(created.body.created_at)).not.toBeNaN();
    expect((await call(api.url, "GET", `${BASE}/searches/1`)).body.query).toBe("acme pricing");

    const stored = await call(api.url, "POST", `${BASE}/searches/1/results`, {
      json: { results: [{ source: "google", title: "Second", position: 2 }, { source: "bing", title: "First", position: 1, keywords: ["price"] }] },
    });
    expect(stored.status).toBe(201);
    expect(stored.body).toEqual({ inserted: 2, chunks: 1 });
    const listed = await call(api.url, "GET", `${BASE}/searches/1/results?limit=10`);
    expect(listed.body.results.map((result: { title: string }) => result.title)).toEqual(["First", "Second"]);
    expect(listed.body.results[0]).toMatchObject({ search_id: 1, keywords: ["price"] });

    // A search that does not exist: 404, nothing stored.
    const file = path.join(temp.dataDir, "ciap.db");
    const before = snapshotDatabase(file);
    const orphan = await call(api.url, "POST", `${BASE}/searches/99/results`, { json: { results: [{ title: "x" }] } });
    expect(orphan.status).toBe(404);
    expect(orphan.body.error).toMatchObject({ code: "RECORD_NOT_FOUND", module: "core.database", details: { database: "ciap", table_name: "searches" } });
    const tooLong = await call(api.url, "POST", `${BASE}/searches`, { json: { query: "q".repeat(501) } });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.code).toBe("VALIDATION_FAILED");
    expect(snapshotDatabase(file)).toBe(before);
  });

  it("enqueues, dequeues under a lease and completes tasks through the queue service", async () => {
    const low = await call(api.url, "POST", `${BASE}/tasks`, { json: { task_type: "scrape", payload: { url: "https://a.example" }, priority: 9 } });
    expect(low.status).toBe(201);
    expect(low.body).toMatchObject({ task_type: "scrape", status: "pending", priority: 9, payload: { url: "https://a.example" }, lease_token: null });
    const urgent = await call(api.url, "POST", `${BASE}/tasks`, { json: { task_type: "analyse", priority: 1, max_retries: 0 } });
    expect(urgent.status).toBe(201);

    const first = await call(api.url, "POST", `${BASE}/tasks/dequeue`, { json: { lease_seconds: 60 } });
    expect(first.status).toBe(200);
    expect(first.body.task).toMatchObject({ id: urgent.body.id, status: "processing" });
    expect(first.body.task.lease_token).toMatch(/^[0-9a-f-]{36}$/);

    // A wrong lease token is refused and changes nothing; the right one completes the task.
    const wrong = await call(api.url, "POST", `${BASE}/tasks/${urgent.body.id}/complete`, { json: { status: "completed", lease_token: "00000000-0000-0000-0000-000000000000" } });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error).toMatchObject({ code: "VALIDATION_FAILED", details: { field: "leaseToken" } });
    const done = await call(api.url, "POST", `${BASE}/tasks/${urgent.body.id}/complete`, { json: { status: "completed", lease_token: first.body.task.lease_token } });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ status: "completed", lease_token: null });
    expect(Date.parse(done.body.completed_at)).not.toBeNaN();

    const second = await call(api.url, "POST", `${BASE}/tasks/dequeue`, { json: {} });
    expect(second.body.task.id).toBe(low.body.id);
    const failed = await call(api.url, "POST", `${BASE}/tasks/${low.body.id}/complete`, { json: { status: "failed", error: "timeout" } });
    // Retries left: back to pending with a backoff.
    expect(failed.body).toMatchObject({ status: "pending", retry_count: 1, error_message: "timeout" });
    const none = await call(api.url, "POST", `${BASE}/tasks/dequeue`, { json: {} });
    expect(none.body).toEqual({ task: null });
    expect((await call(api.url, "POST", `${BASE}/tasks/999/complete`, { json: {} })).status).toBe(404);
    expect((await call(api.url, "POST", `${BASE}/tasks`, { json: { task_type: "x", priority: 11 } })).status).toBe(400);
  });

  it("reports rows per table, and the generic API still cannot write the task queue", async () => {
    const stats = await call(api.url, "GET", `${BASE}/stats`);
    expect(stats.status).toBe(200);
    expect(stats.body.tables).toMatchObject({ searches: 1, search_results: 2, task_queue: 2 });
    const generic = await call(api.url, "POST", "/api/v1/db/databases/ciap/tables/task_queue/records", { json: { task_type: "sneaky" } });
    expect(generic.status).toBe(403);
    expect(generic.body.error.code).toBe("TABLE_READ_ONLY");
  });
});
