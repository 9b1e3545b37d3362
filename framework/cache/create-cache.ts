import type { ModuleDatabase } from "../database/module-database";
import type { Scheduler } from "../scheduler/scheduler";
import type { CacheSettings } from "./cache-settings";
import { CacheManager } from "./cache-manager";
import { EmbeddedCacheBackend } from "./embedded/embedded-cache-backend";
import { RedisCacheBackend } from "./redis/redis-cache-backend";

/** Name of the scheduler job that deletes expired embedded cache entries. */
export const CACHE_CLEANUP_JOB = "cache:cleanup";

/**
 * Builds the framework's {@link CacheManager}: Redis when `REDIS_URL` is set, otherwise the
 * embedded table in the framework database, whose expired rows the scheduler deletes every
 * `cleanupIntervalSeconds`.
 */
export async function createCacheManager(settings: CacheSettings, frameworkDatabase: ModuleDatabase, scheduler: Scheduler): Promise<CacheManager> {
  const options = { compressionThresholdBytes: settings.compressionThresholdBytes };
  if (settings.redisUrl !== undefined) {
    return new CacheManager(await RedisCacheBackend.connect({ url: settings.redisUrl, timeoutMs: settings.timeoutMs }), options);
  }
  const cache = new CacheManager(new EmbeddedCacheBackend(frameworkDatabase), options);
  scheduler.every(CACHE_CLEANUP_JOB, settings.cleanupIntervalSeconds * 1000, async () => {
    const removed = await cache.removeExpired();
    if (removed.isErr()) throw new Error(removed.error.message);
  });
  return cache;
}
