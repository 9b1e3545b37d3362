import { afterAll, describe, expect, it } from "vitest";
import { createClient, RESP_TYPES } from "redis";
import { bootFramework, CacheManager } from "../../../framework";
import { redisNotRunBanner, openRedisTarget, redisTarget } from "../../support/redis-target";
import { createTempRoot } from "../../support/temp-root";
import { describeCacheContract } from "./cache-contract";

const target = redisTarget();
const temp = createTempRoot("cache-redis");
afterAll(() => temp.remove());

if (target.kind === "none") {
  describe("cache contract: redis", () => {
    it("reports that the Redis run was not done (and fails under CI)", () => {
      console.warn(redisNotRunBanner(target.reason));
      // CI installs redis-server (.ci/run); there a missing server is a broken setup, not a pass.
      expect(process.env.CI === "true" || process.env.CI === "1", "CI must run the Redis backend").toBe(false);
    });
  });
} else {
  describeCacheContract(`redis (${target.kind === "external" ? "REDIS_URL" : "private redis-server"})`, async () => {
    const redis = await openRedisTarget(target, temp.root);
    process.env.REDIS_URL = redis.url;
    const framework = await bootFramework({ rootDir: temp.root, dataDir: temp.dataDir });
    delete process.env.REDIS_URL;
    const cache = framework.resolve(CacheManager);
    expect(cache.backendKind).toBe("redis");
    const raw = createClient({ url: redis.url });
    await raw.connect();
    return {
      cache,
      async rawPayload(key) {
        const value = await raw.sendCommand<Buffer | null>(["GET", key], { typeMapping: { [RESP_TYPES.BLOB_STRING]: Buffer } });
        return value ?? undefined;
      },
      async close() {
        await raw.close();
        await framework.shutdown();
        await redis.release();
      },
    };
  });
}
