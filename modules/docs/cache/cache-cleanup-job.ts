import type { DependencyContainer } from "tsyringe";
import { Scheduler } from "../../../framework/scheduler/scheduler";
import { SearchCacheRepository } from "../repositories/search-cache-repository";
import { readCleanupInterval } from "./cleanup-interval";

/** Name of the scheduled job that sweeps expired search-cache rows. */
export const CACHE_CLEANUP_JOB = "docs.search-cache-cleanup";

/**
 * Schedules the sweep of expired `search_cache` rows on the framework's Scheduler, which stops it
 * on shutdown. An invalid interval throws, so the module is reported unhealthy with the reason.
 */
export function scheduleCacheCleanup(container: DependencyContainer, env: Readonly<Record<string, string | undefined>> = process.env): void {
  const interval = readCleanupInterval(env);
  if (interval.isErr()) throw new Error(interval.error);
  const cache = container.resolve(SearchCacheRepository);
  container.resolve(Scheduler).every(CACHE_CLEANUP_JOB, interval.value, async () => {
    const swept = await cache.cleanupExpired();
    // The scheduler records a thrown error as the job's lastError.
    if (swept.isErr()) throw new Error(`${swept.error.code}: ${swept.error.message}`);
  });
}
