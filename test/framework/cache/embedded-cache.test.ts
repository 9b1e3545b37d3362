import { afterAll, describe, expect, it } from "vitest";
import { bootFramework, CacheManager, FRAMEWORK_DATABASE_NAME, Scheduler } from "../../../framework";
import { dialectOf } from "../../../framework/engines/sql-dialect";
import { describeEachEngine, type EngineUnderTest } from "../../support/each-engine";
import { createTempRoot } from "../../support/temp-root";
import { describeCacheContract } from "./cache-contract";

const temp = createTempRoot("cache-embedded");
afterAll(() => temp.remove());

/** The embedded backend on the framework database, wherever `engine` puts that database. */
function openEmbedded(engine: EngineUnderTest, dataDir: string) {
  return async () => {
    delete process.env.REDIS_URL;
    await engine.use([FRAMEWORK_DATABASE_NAME]);
    const framework = await bootFramework({ rootDir: temp.root, dataDir });
    const database = framework.databases.get(FRAMEWORK_DATABASE_NAME)._unsafeUnwrap();
    const sql = (text: string) => dialectOf(database.dataSource).positional(text);
    return {
      cache: framework.resolve(CacheManager),
      async rawPayload(key: string) {
        const rows = (await database.dataSource.query(sql("SELECT value FROM cache_entries WHERE key = ?"), [key])) as { value: Buffer }[];
        return rows[0]?.value;
      },
      async rawEntry(key: string) {
        const rows = (await database.dataSource.query(sql("SELECT value, expires_at FROM cache_entries WHERE key = ? AND expires_at > ?"), [key, Date.now()])) as { value: Buffer; expires_at: number | string }[];
        const row = rows[0];
        if (row === undefined) return { type: "none" as const, ttlSeconds: -2 };
        // The embedded store's equivalent of a Redis hash: the payload's marker byte (see hash-payload.ts).
        return { type: row.value[0] === 0x00 ? ("hash" as const) : ("string" as const), ttlSeconds: Math.floor((Number(row.expires_at) - Date.now()) / 1000) };
      },
      async close() {
        await framework.shutdown();
        await engine.release();
      },
    };
  };
}

describeEachEngine("embedded cache", (engine) => {
  describeCacheContract(`embedded (framework database on ${engine.kind})`, openEmbedded(engine, `${temp.dataDir}-${engine.kind}`));
});

describe("embedded cache: cleanup", () => {
  it("deletes expired rows on demand and on the scheduler's interval", async () => {
    delete process.env.REDIS_URL;
    process.env.CACHE_CLEANUP_INTERVAL = "1";
    const framework = await bootFramework({ rootDir: temp.root, dataDir: `${temp.dataDir}-cleanup` });
    delete process.env.CACHE_CLEANUP_INTERVAL;
    try {
      const cache = framework.resolve(CacheManager);
      expect(cache.backendKind).toBe("embedded");
      expect(framework.resolve(Scheduler).list().map((job) => job.name)).toContain("cache:cleanup");
      const database = framework.databases.get(FRAMEWORK_DATABASE_NAME)._unsafeUnwrap();
      const count = async (key: string) => ((await database.dataSource.query("SELECT COUNT(*) AS n FROM cache_entries WHERE key = ?", [key])) as { n: number }[])[0]?.n;

      // Stop the scheduled job first so the on-demand call is the one that removes the row.
      framework.scheduler.cancel("cache:cleanup");
      await cache.set("cleanup:manual", "x", 1);
      await cache.set("cleanup:live", "y", 600);
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      expect(await count("cleanup:manual")).toBe(1);
      expect((await cache.removeExpired())._unsafeUnwrap()).toBe(1);
      expect(await count("cleanup:manual")).toBe(0);
      expect(await count("cleanup:live")).toBe(1);

      framework.scheduler.every("cache:cleanup", 200, async () => (await cache.removeExpired())._unsafeUnwrap());
      await cache.set("cleanup:scheduled", "z", 1);
      const deadline = Date.now() + 5_000;
      while ((await count("cleanup:scheduled")) !== 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
      expect(await count("cleanup:scheduled")).toBe(0);
      expect(await count("cleanup:live")).toBe(1);
    } finally {
      await framework.shutdown();
    }
  });
});
