import type { DependencyContainer } from "tsyringe";
import { Scheduler } from "../../../framework/scheduler/scheduler";
import { moduleSettingsToken } from "../../../framework/settings/module-settings";
import { DOCS_MODULE, type DocsSettings } from "../docs-settings";
import { SearchCacheRepository } from "../repositories/search-cache-repository";

/** Name of the scheduled job that sweeps expired search-cache rows. */
export const CACHE_CLEANUP_JOB = "docs.search-cache-cleanup";

/**
 * Schedules the sweep of expired `search_cache` rows on the framework's Scheduler (which stops it
 * on shutdown), every `CACHE_CLEANUP_INTERVAL_MS` (checked at boot by the framework's settings).
 */
export function scheduleCacheCleanup(container: DependencyContainer): void {
  const { CACHE_CLEANUP_INTERVAL_MS: interval } = container.resolve(moduleSettingsToken(DOCS_MODULE)) as DocsSettings;
  const cache = container.resolve(SearchCacheRepository);
  container.resolve(Scheduler).every(CACHE_CLEANUP_JOB, interval, async () => {
    const swept = await cache.cleanupExpired();
    // The scheduler records a thrown error as the job's lastError.
    if (swept.isErr()) throw new Error(`${swept.error.code}: ${swept.error.message}`);
  });
}
