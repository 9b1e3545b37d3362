import type { InjectionToken } from "tsyringe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ModuleDatabase } from "../../../framework";
import { bootCiap, unwrap, type CiapFixture } from "./ciap-fixture";
import { sqliteConnection } from "../../../framework/engines/sqlite/sqlite-connection";

describe("ciap database initialization", () => {
  let fixture: CiapFixture;
  let db: ModuleDatabase;

  beforeAll(async () => {
    fixture = await bootCiap("ciap-db");
    db = unwrap(fixture.framework.databases.get("ciap"));
  });
  afterAll(() => fixture.close());

  it("boots the module healthy with a healthy database (SELECT 1 and quick_check)", async () => {
    expect(fixture.framework.modules.find((module) => module.name === "ciap")).toMatchObject({ healthy: true, database: "ciap", problems: [] });
    const health = await db.health(true);
    expect(health).toMatchObject({ database: "ciap", healthy: true, quickCheck: ["ok"] });
    expect(db.file).toBe(`${fixture.temp.dataDir}/ciap.db`);
  });

  it("creates the six seed tables and the seed's indexes", () => {
    const connection = sqliteConnection(db);
    const tables = (connection.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[]).map((row) => row.name);
    expect(tables).toEqual(expect.arrayContaining(["cache", "rate_limits", "scraping_jobs", "search_results", "searches", "task_queue"]));
    const indexes = (connection.prepare("SELECT name, tbl_name FROM sqlite_master WHERE type = 'index' AND name LIKE 'idx_%'").all() as { name: string; tbl_name: string }[]).map(
      (row) => `${row.tbl_name}.${row.name}`,
    );
    expect(indexes).toEqual(
      expect.arrayContaining([
        "searches.idx_searches_status",
        "search_results.idx_search_results_search_id",
        "cache.idx_cache_expires",
        "task_queue.idx_task_queue_status",
        "rate_limits.idx_rate_limits_scraper",
      ]),
    );
    const taskIndex = (connection.prepare("PRAGMA index_info('idx_task_queue_status')").all() as { name: string }[]).map((column) => column.name);
    expect(taskIndex).toEqual(["status", "priority"]);
  });

  it("runs with WAL, foreign keys on and synchronous NORMAL", () => {
    const connection = sqliteConnection(db);
    expect(connection.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(connection.pragma("foreign_keys", { simple: true })).toBe(1);
    expect(connection.pragma("synchronous", { simple: true })).toBe(1);
  });

  it("counts rows per table, tracking writes", async () => {
    const stats = fixture.framework.resolve(fixture.ciap.CiapStatsService);
    expect(unwrap(await stats.tableCounts())).toEqual({ cache: 0, rate_limits: 0, scraping_jobs: 0, search_results: 0, searches: 0, task_queue: 0 });

    const searches = fixture.framework.resolve(fixture.ciap.SearchService);
    const search = unwrap(await searches.create("stats query", ["google"]));
    unwrap(await fixture.framework.resolve(fixture.ciap.SearchResultService).insertMany([{ search_id: search.id, title: "a" }, { search_id: search.id, title: "b" }]));
    unwrap(await fixture.framework.resolve(fixture.ciap.TaskQueueService).enqueue("scrape", { search_id: search.id }));
    unwrap(await fixture.framework.resolve(fixture.ciap.CiapCacheService).set("k", "v", 60));
    unwrap(await fixture.framework.resolve(fixture.ciap.RateLimitService).update("google", 60));

    expect(unwrap(await stats.tableCounts())).toEqual({ cache: 1, rate_limits: 1, scraping_jobs: 0, search_results: 2, searches: 1, task_queue: 1 });
  });

  it("resolves every service once, as a singleton", () => {
    const { framework, ciap } = fixture;
    for (const service of ciap.services as readonly InjectionToken<object>[]) {
      const instance = framework.resolve(service);
      expect(instance).toBeInstanceOf(service as new () => object);
      expect(framework.resolve(service)).toBe(instance);
    }
  });
});
