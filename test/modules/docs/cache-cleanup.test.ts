import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { bootFramework } from "../../../framework";
import { CACHE_CLEANUP_JOB } from "../../../modules/docs/cache/cache-cleanup-job";
import { ModuleSettings } from "../../../framework/settings/module-settings";
import { CLEANUP_INTERVAL_VARIABLE, settings } from "../../../modules/docs/docs-settings";
import { SearchCacheRepository, searchQueryHash } from "../../../modules/docs/repositories/search-cache-repository";
import { bootModules, type BootedModules } from "../../support/boot-modules";
import { createModuleRoot } from "../../support/module-root";
import { sqliteConnection } from "../../../framework/engines/sqlite/sqlite-connection";

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Condition not met within ${timeoutMs} ms.`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("docs search cache and its scheduled cleanup", () => {
  let booted: BootedModules | undefined;
  afterEach(async () => {
    delete process.env[CLEANUP_INTERVAL_VARIABLE];
    await booted?.close();
    booted = undefined;
  });

  const rowCount = (b: BootedModules) => (sqliteConnection(b.database("docs")).prepare("SELECT COUNT(*) AS n FROM search_cache").get() as { n: number }).n;

  it("serves only live entries, counts hits, and cleanup deletes exactly the expired ones", async () => {
    booted = await bootModules("docs-cache", ["docs"]);
    const cache = booted.framework.resolve(SearchCacheRepository);
    const stored = (await cache.put({ query: "React Hooks", technologyHint: "react", results: [{ id: 1 }, { id: 2 }], ttlMs: 60_000, workspaceSlugs: ["react"], executionTimeMs: 12 }))._unsafeUnwrap();
    expect(stored).toMatchObject({ query_hash: searchQueryHash("react hooks", "react"), result_count: 2, cache_hit: false, workspace_slugs: ["react"] });
    (await cache.put({ query: "old one", results: [], ttlMs: 20 }))._unsafeUnwrap();
    (await cache.put({ query: "old two", results: [], ttlMs: 20 }))._unsafeUnwrap();
    await new Promise((resolve) => setTimeout(resolve, 50));

    const hit = (await cache.get("  react hooks ", "react"))._unsafeUnwrap();
    expect(hit).toMatchObject({ search_results: [{ id: 1 }, { id: 2 }], access_count: 1, cache_hit: true });
    expect((await cache.get("React Hooks"))._unsafeUnwrap()).toBeNull(); // another technology hint, another key
    expect((await cache.get("old one"))._unsafeUnwrap()).toBeNull(); // expired, even before cleanup

    expect(rowCount(booted)).toBe(3);
    expect((await cache.cleanupExpired())._unsafeUnwrap()).toBe(2);
    expect(rowCount(booted)).toBe(1);
    expect((await cache.cleanupExpired())._unsafeUnwrap()).toBe(0);
    expect((await cache.put({ query: "q", results: [], ttlMs: 0 }))._unsafeUnwrapErr().details?.field).toBe("ttlMs");
  });

  it("sweeps expired rows on the configured interval while up, and stops on shutdown", async () => {
    process.env[CLEANUP_INTERVAL_VARIABLE] = "40";
    booted = await bootModules("docs-cache-job", ["docs"]);
    const framework = booted.framework;
    const job = () => framework.scheduler.list().find((candidate) => candidate.name === CACHE_CLEANUP_JOB);
    expect(job()?.intervalMs).toBe(40);

    const cache = framework.resolve(SearchCacheRepository);
    (await cache.put({ query: "short-lived", results: [1], ttlMs: 30 }))._unsafeUnwrap();
    (await cache.put({ query: "long-lived", results: [2], ttlMs: 600_000 }))._unsafeUnwrap();
    const current = booted;
    await waitFor(() => rowCount(current) === 1, 5_000);
    expect((await cache.get("long-lived"))._unsafeUnwrap()?.search_results).toEqual([2]);
    const runsBefore = job()?.runs ?? 0;
    await waitFor(() => (job()?.runs ?? 0) >= runsBefore + 2, 5_000); // keeps running while up
    expect(job()?.lastError).toBeUndefined();

    const file = current.database("docs").file;
    await framework.shutdown();
    expect(framework.scheduler.list()).toEqual([]);
    expect(() => framework.scheduler.every("late", 10, () => undefined)).toThrow(/stopped/);

    // After shutdown nothing sweeps: an expired row written to the file afterwards stays put.
    const raw = new Database(file);
    try {
      raw.prepare("INSERT INTO search_cache (query_hash, original_query, search_results, expires_at) VALUES ('after', 'after', '[]', '2000-01-01 00:00:00.000')").run();
      await new Promise((resolve) => setTimeout(resolve, 250));
      expect(raw.prepare("SELECT COUNT(*) AS n FROM search_cache WHERE query_hash = 'after'").get()).toEqual({ n: 1 });
    } finally {
      raw.close();
    }
  });

  it("reads and checks the interval; a bad value makes the module unhealthy, naming the variable", async () => {
    const resolve = (value?: string) => ModuleSettings.resolve([{ name: "docs", settings }], value === undefined ? {} : { [CLEANUP_INTERVAL_VARIABLE]: value }, []);
    expect(resolve().values("docs").CACHE_CLEANUP_INTERVAL_MS).toBe(60_000);
    expect(resolve("250").values("docs").CACHE_CLEANUP_INTERVAL_MS).toBe(250);
    for (const bad of ["0", "-5", "1.5", "soon", "999999999999"]) expect(resolve(bad).problems("docs"), bad).toEqual([expect.stringContaining(CLEANUP_INTERVAL_VARIABLE)]);

    process.env[CLEANUP_INTERVAL_VARIABLE] = "soon";
    const temp = createModuleRoot("docs-cache-bad", ["docs"]);
    const framework = await bootFramework({ rootDir: temp.root, dataDir: temp.dataDir });
    try {
      const docs = framework.modules.find((module) => module.name === "docs");
      expect(docs?.healthy).toBe(false);
      expect(docs?.problems.join(" ")).toContain(`Invalid ${CLEANUP_INTERVAL_VARIABLE}='soon' (setting CACHE_CLEANUP_INTERVAL_MS, from environment variable ${CLEANUP_INTERVAL_VARIABLE}): expected an integer from 10 to 86400000.`);
      expect(framework.scheduler.list().find((candidate) => candidate.name === CACHE_CLEANUP_JOB)).toBeUndefined();
    } finally {
      await framework.shutdown();
      temp.remove();
    }
  });
});
