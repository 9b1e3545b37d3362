import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, startApi, type ApiUnderTest } from "../../support/http-harness";
import { parsePrometheusText, seriesKeys, sumOf, type Family } from "../../support/prometheus-text";
import { createTempRoot } from "../../support/temp-root";
import { TEST_TOKEN, writeAccountsModule } from "../http/fixtures";
import { sqliteConnection } from "../../../framework/engines/sqlite/sqlite-connection";

const temp = createTempRoot("metrics-route");
writeAccountsModule(temp);
const records = "/api/v1/db/databases/accounts/tables/accounts/records";
const saved = { ...process.env };
let api: ApiUnderTest;

async function scrape(): Promise<Map<string, Family>> {
  const response = await call(api.url, "GET", "/metrics", { token: TEST_TOKEN });
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
  return parsePrometheusText(response.text);
}

async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

beforeAll(async () => {
  // Fast checkpoints, and lock retries that give up quickly so DATABASE_LOCKED is reached in a test.
  process.env.WAL_CHECKPOINT_INTERVAL_MS = "100";
  process.env.DATABASE_MAX_RETRIES = "1";
  process.env.DATABASE_RETRY_BASE_DELAY = "5";
  // The cache families are checked on the embedded backend (its table is renamed away below); CI
  // exports REDIS_URL for the Redis tests, which would otherwise switch this framework to Redis.
  delete process.env.REDIS_URL;
  api = await startApi(temp, { settings: { apiToken: TEST_TOKEN } });
  api.framework.scheduler.every("test:failing", 20, () => {
    throw new Error("this job always fails");
  });
});
afterAll(async () => {
  process.env = saved;
  await api?.stop();
  temp.remove();
});

describe("GET /metrics", () => {
  it("is refused without the token when one is configured", async () => {
    const response = await call(api.url, "GET", "/metrics");
    expect(response.status).toBe(401);
    expect(response.body.error.code).toBe("UNAUTHORIZED");
  });

  it("after a CRUD, a cache and an HTTP workload shows non-zero figures in every family", async () => {
    // CRUD over HTTP.
    const ids: number[] = [];
    for (let index = 0; index < 20; index += 1) {
      const created = await call(api.url, "POST", records, { token: TEST_TOKEN, json: { email: `m${index}@example.com`, name: `M ${index}` } });
      expect(created.status).toBe(201);
      ids.push(created.body.record.id);
    }
    expect((await call(api.url, "GET", "/api/v1/db/databases/accounts/tables/accounts?page_size=5", { token: TEST_TOKEN })).status).toBe(200);
    expect((await call(api.url, "PATCH", `${records}/${ids[0]}`, { token: TEST_TOKEN, json: { name: "renamed" } })).status).toBe(200);
    expect((await call(api.url, "DELETE", `${records}/${ids[1]}`, { token: TEST_TOKEN })).status).toBe(200);
    expect((await call(api.url, "GET", `${records}/999999`, { token: TEST_TOKEN })).status).toBe(404);
    // A duplicate email: a statement that fails and a transaction that does not commit.
    expect((await call(api.url, "POST", records, { token: TEST_TOKEN, json: { email: "m2@example.com", name: "dup" } })).status).toBe(409);

    // Cache: a miss, a set, a hit.
    const cache = api.framework.cache;
    expect((await cache.get("metrics:test"))._unsafeUnwrap()).toBeUndefined();
    (await cache.set("metrics:test", { a: 1 }, 60))._unsafeUnwrap();
    expect((await cache.get("metrics:test"))._unsafeUnwrap()).toEqual({ a: 1 });

    // Another process holds the write lock: the first write retries and gives up (DATABASE_LOCKED).
    const holder = new Database(api.framework.databases.entry("accounts")?.file ?? "");
    holder.exec("BEGIN IMMEDIATE");
    const locked = await call(api.url, "POST", records, { token: TEST_TOKEN, json: { email: "locked@example.com", name: "L" } });
    holder.exec("ROLLBACK");
    holder.close();
    expect(locked.status).toBe(503);
    expect(locked.body.error.code).toBe("DATABASE_LOCKED");

    // The background jobs ran (a checkpoint among them), and the failing one failed.
    await waitFor(() => ["databases:watch", "databases:checkpoint", "test:failing"].every((name) => (api.framework.scheduler.list().find((job) => job.name === name)?.runs ?? 0) > 0), 10_000);
    await waitFor(() => api.framework.databases.get("accounts")._unsafeUnwrap().activity.lastCheckpointAt !== undefined, 10_000);

    const families = await scrape();
    const accounts = { database: "accounts" };
    expect(sumOf(families, "moduledb_statements_total", { ...accounts, outcome: "ok" })).toBeGreaterThan(20);
    expect(sumOf(families, "moduledb_statements_total", { ...accounts, outcome: "error" })).toBeGreaterThan(0);
    expect(sumOf(families, "moduledb_statement_duration_seconds", accounts, "moduledb_statement_duration_seconds_count")).toBeGreaterThan(20);
    expect(sumOf(families, "moduledb_statement_duration_seconds", accounts, "moduledb_statement_duration_seconds_sum")).toBeGreaterThan(0);
    expect(sumOf(families, "moduledb_transactions_total", { ...accounts, outcome: "committed" })).toBeGreaterThanOrEqual(20);
    expect(sumOf(families, "moduledb_transactions_total", { ...accounts, outcome: "rolled_back" }) + sumOf(families, "moduledb_transactions_total", { ...accounts, outcome: "failed" })).toBeGreaterThan(0);
    expect(sumOf(families, "moduledb_transaction_duration_seconds", accounts, "moduledb_transaction_duration_seconds_count")).toBeGreaterThan(20);
    expect(sumOf(families, "moduledb_gate_wait_seconds", accounts, "moduledb_gate_wait_seconds_count")).toBeGreaterThan(20);
    expect(sumOf(families, "moduledb_lock_retries_total", accounts)).toBeGreaterThan(0);
    expect(sumOf(families, "moduledb_database_locked_total", accounts)).toBeGreaterThan(0);
    expect(sumOf(families, "moduledb_database_file_bytes", accounts)).toBeGreaterThan(0);
    expect(families.get("moduledb_database_wal_bytes")?.samples.some((sample) => sample.labels.database === "accounts")).toBe(true);
    expect(sumOf(families, "moduledb_database_last_checkpoint_timestamp_seconds", accounts)).toBeGreaterThan(Date.now() / 1000 - 60);
    expect(sumOf(families, "moduledb_database_ready", accounts)).toBe(1);
    // The framework database is measured too (the embedded cache lives there).
    expect(sumOf(families, "moduledb_statements_total", { database: "framework" })).toBeGreaterThan(0);

    const recordsRoute = { route: "/api/v1/db/databases/:database/tables/:table/records" };
    expect(sumOf(families, "moduledb_http_requests_total", { ...recordsRoute, method: "POST", status_class: "2xx" })).toBe(20);
    expect(sumOf(families, "moduledb_http_requests_total", { ...recordsRoute, method: "POST", status_class: "5xx" })).toBe(1);
    expect(sumOf(families, "moduledb_http_requests_total", { route: "/api/v1/db/databases/:database/tables/:table/records/:id", status_class: "4xx" })).toBe(1);
    expect(sumOf(families, "moduledb_http_requests_total", { route: "/metrics", status_class: "4xx" })).toBeGreaterThan(0);
    expect(sumOf(families, "moduledb_http_request_duration_seconds", recordsRoute, "moduledb_http_request_duration_seconds_count")).toBe(22);

    expect(sumOf(families, "moduledb_cache_hits_total", { backend: "embedded" })).toBeGreaterThan(0);
    expect(sumOf(families, "moduledb_cache_misses_total", { backend: "embedded" })).toBeGreaterThan(0);

    expect(sumOf(families, "moduledb_scheduler_job_runs_total", { job: "databases:checkpoint" })).toBeGreaterThan(0);
    expect(sumOf(families, "moduledb_scheduler_job_failures_total", { job: "test:failing" })).toBeGreaterThan(0);
    expect(families.get("moduledb_scheduler_job_last_duration_seconds")?.samples.some((sample) => sample.labels.job === "databases:watch")).toBe(true);

    expect(families.get("moduledb_nodejs_eventloop_lag_seconds")?.type).toBe("gauge");
    expect(sumOf(families, "moduledb_nodejs_heap_size_used_bytes")).toBeGreaterThan(0);
    expect(sumOf(families, "moduledb_process_cpu_seconds_total")).toBeGreaterThan(0);

    // Every family follows the naming conventions.
    for (const family of families.values()) {
      expect(family.name).toMatch(/^moduledb_/);
      if (family.type === "counter") expect(family.name).toMatch(/_total$/);
    }
  });

  it("cache errors are counted by backend", async () => {
    const before = sumOf(await scrape(), "moduledb_cache_errors_total", { backend: "embedded" });
    // A value the codec cannot encode never reaches the store; a store failure does: close the framework database's connection under the cache.
    const frameworkDb = api.framework.databases.entry("framework")?.database;
    expect(frameworkDb).toBeDefined();
    const connection = (frameworkDb === undefined ? undefined : sqliteConnection(frameworkDb));
    connection?.exec("CREATE TABLE IF NOT EXISTS metrics_probe (x)");
    connection?.exec("ALTER TABLE cache_entries RENAME TO cache_entries_away");
    try {
      expect((await api.framework.cache.get("metrics:error")).isErr()).toBe(true);
    } finally {
      connection?.exec("ALTER TABLE cache_entries_away RENAME TO cache_entries");
    }
    expect(sumOf(await scrape(), "moduledb_cache_errors_total", { backend: "embedded", operation: "get" })).toBeGreaterThan(before);
  });

  it("1 000 distinct URLs add no new series", async () => {
    // Warm up every route shape once, so the series they create exist before counting.
    await call(api.url, "GET", "/api/v1/db/databases/nope-warm/tables", { token: TEST_TOKEN });
    await call(api.url, "GET", "/no/such/route-warm", { token: TEST_TOKEN });
    await call(api.url, "GET", `${records}/123456789`, { token: TEST_TOKEN });
    await call(api.url, "GET", "/api/v1/db/databases/accounts/tables/accounts?filter[name][eq]=warm", { token: TEST_TOKEN });
    await scrape();
    // Request series only: the process families (GC kinds, say) may grow on their own meanwhile.
    const requestSeries = async () => new Set([...seriesKeys(await scrape())].filter((key) => key.startsWith("moduledb_http_")));
    const before = await requestSeries();
    for (let index = 0; index < 1_000; index += 1) {
      const shape = index % 4;
      const path =
        shape === 0 ? `/api/v1/db/databases/nope-${index}/tables` : shape === 1 ? `/no/such/route-${index}?q=${index}` : shape === 2 ? `${records}/${1_000_000 + index}` : `/api/v1/db/databases/accounts/tables/accounts?filter[name][eq]=n${index}`;
      const response = await call(api.url, "GET", path, { token: TEST_TOKEN });
      expect(response.status).toBeLessThan(500);
    }
    const after = await requestSeries();
    const added = [...after].filter((key) => !before.has(key));
    expect(added).toEqual([]);
    expect(sumOf(await scrape(), "moduledb_http_requests_total", { route: "unmatched" })).toBeGreaterThanOrEqual(251);
    expect([...seriesKeys(await scrape())].some((key) => key.includes("nope-") || key.includes("route-") || key.includes("1000"))).toBe(false);
  });
});
