import { afterAll, expect, it } from "vitest";
import { bootFramework, CacheManager } from "../../../framework";
import { freePort, redisServerBinary, startRedisServer } from "../../support/redis-server";
import { redisBinaryAvailability } from "../../support/redis-target";
import { describeWithService } from "../../support/required-service";
import { createTempRoot } from "../../support/temp-root";

const binary = redisServerBinary();
const temp = createTempRoot("cache-outage");
afterAll(() => temp.remove());

/** The bound the test holds the backend to: CACHE_TIMEOUT_MS plus scheduling slack. */
const TIMEOUT_MS = 300;
const BOUND_MS = TIMEOUT_MS + 200;

describeWithService("redis", redisBinaryAvailability(binary), "redis cache: outage and recovery", () => {

  it("returns CACHE_UNAVAILABLE within the bound while the server is down, and recovers when it is back", async () => {
    const server = await startRedisServer(binary!, temp.root);
    process.env.REDIS_URL = server.url;
    process.env.CACHE_TIMEOUT_MS = String(TIMEOUT_MS);
    const framework = await bootFramework({ rootDir: temp.root, dataDir: temp.dataDir });
    delete process.env.REDIS_URL;
    delete process.env.CACHE_TIMEOUT_MS;
    const cache = framework.resolve(CacheManager);
    try {
      expect((await cache.set("outage:before", "v", 60)).isOk()).toBe(true);

      await server.stop();
      const calls = [() => cache.get("outage:before"), () => cache.set("outage:during", 1, 60), () => cache.increment("outage:counter"), () => cache.delete("outage:before"), () => cache.deleteByPrefix("outage:")];
      for (let round = 0; round < 3; round += 1) {
        for (const call of calls) {
          const started = performance.now();
          const result = await call();
          const elapsed = performance.now() - started;
          expect(result.isErr()).toBe(true);
          expect(result._unsafeUnwrapErr().code).toBe("CACHE_UNAVAILABLE");
          expect(elapsed).toBeLessThan(BOUND_MS);
        }
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
      // getOrSet still serves the producer's value while the store is away.
      expect((await cache.getOrSet("outage:computed", 60, () => ({ fresh: true })))._unsafeUnwrap()).toEqual({ fresh: true });

      // 100 callers at once during the outage: none hangs, nothing piles up.
      const started = performance.now();
      const burst = await Promise.all(Array.from({ length: 100 }, (_, index) => cache.get(`outage:burst:${index}`)));
      expect(burst.every((result) => result.isErr() && result.error.code === "CACHE_UNAVAILABLE")).toBe(true);
      expect(performance.now() - started).toBeLessThan(BOUND_MS);

      await server.restart();
      const deadline = Date.now() + 10_000;
      let recovered = await cache.set("outage:after", "back", 60);
      while (recovered.isErr() && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        recovered = await cache.set("outage:after", "back", 60);
      }
      expect(recovered.isOk()).toBe(true);
      expect((await cache.get("outage:after"))._unsafeUnwrap()).toBe("back");
      expect((await cache.increment("outage:counter"))._unsafeUnwrap()).toBe(1);

      // A server that accepts nothing but never answers (frozen) is bounded by the command timeout.
      server.freeze();
      try {
        const frozenStart = performance.now();
        const frozen = await cache.get("outage:after");
        expect(frozen._unsafeUnwrapErr().code).toBe("CACHE_UNAVAILABLE");
        expect(performance.now() - frozenStart).toBeLessThan(BOUND_MS);
      } finally {
        server.thaw();
      }
      let thawed = await cache.get("outage:after");
      while (thawed.isErr() && Date.now() < deadline + 10_000) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        thawed = await cache.get("outage:after");
      }
      expect(thawed._unsafeUnwrap()).toBe("back");
    } finally {
      await framework.shutdown();
      await server.stop();
    }
  });

  it("boots with Redis unreachable, answers CACHE_UNAVAILABLE, and starts working when the server appears", async () => {
    const port = await freePort();
    process.env.REDIS_URL = `redis://127.0.0.1:${port}`;
    process.env.CACHE_TIMEOUT_MS = String(TIMEOUT_MS);
    const bootStarted = performance.now();
    const framework = await bootFramework({ rootDir: temp.root, dataDir: `${temp.dataDir}-late` });
    const bootMs = performance.now() - bootStarted;
    delete process.env.REDIS_URL;
    delete process.env.CACHE_TIMEOUT_MS;
    const server = await (async () => {
      try {
        const cache = framework.resolve(CacheManager);
        expect(cache.backendKind).toBe("redis");
        expect(bootMs).toBeLessThan(10_000);
        const started = performance.now();
        expect((await cache.get("late:key"))._unsafeUnwrapErr().code).toBe("CACHE_UNAVAILABLE");
        expect(performance.now() - started).toBeLessThan(BOUND_MS);
        return await startRedisServer(binary!, temp.root, port);
      } catch (error) {
        await framework.shutdown();
        throw error;
      }
    })();
    try {
      const cache = framework.resolve(CacheManager);
      const deadline = Date.now() + 10_000;
      let stored = await cache.set("late:key", "arrived", 60);
      while (stored.isErr() && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        stored = await cache.set("late:key", "arrived", 60);
      }
      expect(stored.isOk()).toBe(true);
      expect((await cache.get("late:key"))._unsafeUnwrap()).toBe("arrived");
    } finally {
      await framework.shutdown();
      await server.stop();
    }
  });
});
