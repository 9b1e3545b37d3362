/**
 * The docs module's database (seed 004): runtime configuration, the search cache, metadata of
 * ingested documents, explicit feedback and implicit usage signals, documentation sources with
 * their reliability, technology → source mappings, and the schema version history. Every CHECK,
 * UNIQUE and index of the seed is declared here, indexes under the seed's own names.
 */
import { ContentMetadata } from "./entities/content-metadata";
import { FeedbackEvent } from "./entities/feedback-event";
import { SchemaVersion } from "./entities/schema-version";
import { SearchCache } from "./entities/search-cache";
import { SourceMetadata } from "./entities/source-metadata";
import { SystemConfig } from "./entities/system-config";
import { TechnologyMapping } from "./entities/technology-mapping";
import { UsageSignal } from "./entities/usage-signal";

/** The database every docs entity lives in: `data/docs.db`. */
export const DATABASE_NAME = "docs";

/** The docs entities, in dependency order. */
export const entities = [SystemConfig, SearchCache, ContentMetadata, FeedbackEvent, UsageSignal, SourceMetadata, TechnologyMapping, SchemaVersion];

export { ContentMetadata, FeedbackEvent, SchemaVersion, SearchCache, SourceMetadata, SystemConfig, TechnologyMapping, UsageSignal };

/**
 * What the generic records API may do with each table (see docs/module-authoring.md): the search
 * cache is an implementation detail of SearchCacheRepository and is not listed at all.
 */
export const api = { default: "read-write", tables: { search_cache: "hidden" } } as const;
