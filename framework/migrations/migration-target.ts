import type { EntityClassOrSchema } from "../discovery/discovered-module";

/** A module as the migration and seed machinery sees it. */
export interface TargetModule {
  readonly name: string;
  /** The module's folder (under `dist/` when running the build). */
  readonly directory: string;
  /** The tables its entities map to. */
  readonly tables: readonly string[];
}

/** One database and everything needed to migrate it without a booted connection. */
export interface MigrationTarget {
  readonly database: string;
  /** Every module sharing the database, sorted by name; each may hold a `migrations/` folder. */
  readonly modules: readonly TargetModule[];
  readonly entities: readonly EntityClassOrSchema[];
  /**
   * Tables the framework database recorded for this database at the previous boot. When there
   * are any, its file must exist and hold data: a missing or empty file is refused (DATABASE_EMPTIED)
   * rather than recreated empty.
   */
  readonly rememberedTables?: readonly string[];
}
