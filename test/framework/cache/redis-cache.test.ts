import { afterAll, expect } from "vitest";
import { createClient, RESP_TYPES } from "redis";
import { bootFramework, CacheManager } from "../../../framework";
import { openRedisTarget, redisAvailability, redisTarget } from "../../support/redis-target";
import { describeWithService } from "../../support/required-service";
import { createTempRoot } from "../../support/temp-root";
import { describeCacheContract } from "./cache-contract";

const target = redisTarget();
const temp = createTempRoot("cache-redis");
afterAll(() => temp.remove());

describeWithService("redis", redisAvailability(target), "cache contract: redis", () => {
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
      async rawEntry(key) {
        const type = String(await raw.sendCommand(["TYPE", key]));
        return { type: type === "hash" || type === "string" ? type : "none", ttlSeconds: Number(await raw.sendCommand(["TTL", key])) };
      },
      async close() {
        await raw.close();
        await framework.shutdown();
        await redis.release();
      },
    };
  });
});
