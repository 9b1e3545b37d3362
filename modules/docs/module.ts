/**
 * The docs module's services and start hook: repositories over the framework's raw-SQL access,
 * and the scheduled sweep of expired search-cache rows.
 */
import type { DependencyContainer } from "tsyringe";
import { scheduleCacheCleanup } from "./cache/cache-cleanup-job";
import { DocsCache } from "./cache/docs-cache";
import { DocsSql } from "./docs-sql";
import { ContentMetadataRepository } from "./repositories/content-metadata-repository";
import { FeedbackRepository } from "./repositories/feedback-repository";
import { SchemaVersionRepository } from "./repositories/schema-version-repository";
import { SearchCacheRepository } from "./repositories/search-cache-repository";
import { SourceRepository } from "./repositories/source-repository";
import { SystemConfigRepository } from "./repositories/system-config-repository";
import { TechnologyMappingRepository } from "./repositories/technology-mapping-repository";

/** Registered as singletons in the framework's container. */
export const services = [
  DocsSql,
  DocsCache,
  ContentMetadataRepository,
  FeedbackRepository,
  SourceRepository,
  TechnologyMappingRepository,
  SearchCacheRepository,
  SystemConfigRepository,
  SchemaVersionRepository,
];

export { settings, type DocsSettings } from "./docs-settings";
/** The module's HTTP routes under `/api/v1/modules/docs/` (see http/docs-routes.ts and docs/routes.md). */
export { routes } from "./http/docs-routes";
export { DocsCache } from "./cache/docs-cache";
export * from "./cache/docs-cache-keys";

/** Runs once after boot: records in schema_versions the migrations recorded without running, and starts the search-cache sweep (interval: setting CACHE_CLEANUP_INTERVAL_MS, env DOCS_CACHE_CLEANUP_INTERVAL_MS). */
export async function start(container: DependencyContainer): Promise<void> {
  scheduleCacheCleanup(container);
  const synced = await container.resolve(SchemaVersionRepository).syncWithMigrations();
  if (synced.isErr()) throw new Error(`schema_versions: ${synced.error.code}: ${synced.error.message}`);
}
