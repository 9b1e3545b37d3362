import type { ModuleDatabase } from "../database/module-database";
import { observeCacheBackend, type CacheMetrics } from "../metrics/cache-metrics";
import type { Scheduler } from "../scheduler/scheduler";
import type { CacheBackend } from "./cache-backend";
import type { CacheSettings } from "./cache-settings";
import { CacheManager } from "./cache-manager";
import { EmbeddedCacheBackend } from "./embedded/embedded-cache-backend";
import { RedisCacheBackend } from "./redis/redis-cache-backend";

/** Name of the scheduler job that deletes expired embedded cache entries. */
export const CACHE_CLEANUP_JOB = "cache:cleanup";

/**
 * Builds the framework's {@link CacheManager}: Redis when `REDIS_URL` is set, otherwise the
 * embedded table in the framework database, whose expired rows the scheduler deletes every
 * `cleanupIntervalSeconds`. With `metrics`, the store's hits, misses and errors are counted.
 */
export async function createCacheManager(settings: CacheSettings, frameworkDatabase: ModuleDatabase, scheduler: Scheduler, metrics?: CacheMetrics): Promise<CacheManager> {
  const options = { compressionThresholdBytes: settings.compressionThresholdBytes };
  const counted = (backend: CacheBackend): CacheBackend => (metrics === undefined ? backend : observeCacheBackend(backend, metrics));
  if (settings.redisUrl !== undefined) {
    return new CacheManager(counted(await RedisCacheBackend.connect({ url: settings.redisUrl, timeoutMs: settings.timeoutMs })), options);
  }
  const cache = new CacheManager(counted(new EmbeddedCacheBackend(frameworkDatabase)), options);
  scheduler.every(CACHE_CLEANUP_JOB, settings.cleanupIntervalSeconds * 1000, async () => {
    const removed = await cache.removeExpired();
    if (removed.isErr()) throw new Error(removed.error.message);
  });
  return cache;
}
