import { err, ok, type Result } from "neverthrow";
import type { EntityMetadata } from "typeorm";
import type { ModuleDatabase } from "../database/module-database";
import { FRAMEWORK_DATABASE_NAME } from "../discovery/database-name";
import { dbError, type DbError } from "../errors/db-error";
import { DEFAULT_ACCESS_LEVEL, type AccessLevel, type ResolvedPolicy } from "./access-policy";

/** Tables the framework adds to module databases; never reachable through the generic API. */
const frameworkOwnedTables = new Set<string>();

/** Declares a table the framework itself adds to every module database (its audit trail, say). */
export function registerFrameworkOwnedTable(table: string): void {
  frameworkOwnedTables.add(table);
}

/** True for a table the framework adds to module databases. */
export function isFrameworkOwnedTable(table: string): boolean {
  return frameworkOwnedTables.has(table);
}

/** One module's part in the policies: the database it declares and the level of each of its tables. */
export interface ModulePolicy {
  readonly database: string;
  readonly levels: ResolvedPolicy;
}

/**
 * The generic API's view of every table: the levels the modules declared, the framework
 * database's tables and the framework-owned tables of module databases always `hidden`.
 */
export class AccessPolicies {
  private readonly levels = new Map<string, AccessLevel>();

  constructor(modules: readonly ModulePolicy[]) {
    for (const module of modules) for (const [table, level] of module.levels) this.levels.set(`${module.database}/${table}`, level);
  }

  /** The level of `table` in `database`. */
  tableAccess(database: string, table: string): AccessLevel {
    if (database === FRAMEWORK_DATABASE_NAME || isFrameworkOwnedTable(table)) return "hidden";
    return this.levels.get(`${database}/${table}`) ?? DEFAULT_ACCESS_LEVEL;
  }

  /** The tables of `database` the generic API shows, sorted, each with its level. */
  visibleTables(database: ModuleDatabase): { name: string; access: Exclude<AccessLevel, "hidden"> }[] {
    return database.tableNames().flatMap((name) => {
      const access = this.tableAccess(database.name, name);
      return access === "hidden" ? [] : [{ name, access }];
    });
  }

  /**
   * A table the generic API may show: its metadata and level. A hidden table gets exactly the
   * TABLE_NOT_FOUND of a table that does not exist, listing only the visible tables, so nothing
   * tells the two apart.
   */
  visibleTable(database: ModuleDatabase, table: string): Result<{ metadata: EntityMetadata; access: Exclude<AccessLevel, "hidden"> }, DbError> {
    const access = this.tableAccess(database.name, table);
    const metadata = database.table(table);
    if (access !== "hidden" && metadata.isOk()) return ok({ metadata: metadata.value, access });
    return err(
      dbError("TABLE_NOT_FOUND", `Table '${table}' not found in database '${database.name}'.`, database.name, {
        table_name: table,
        available_tables: this.visibleTables(database).map((entry) => entry.name),
      }),
    );
  }

  /** The writable table: TABLE_NOT_FOUND when hidden or absent, TABLE_READ_ONLY when it is `read`. */
  writableTable(database: ModuleDatabase, table: string): Result<EntityMetadata, DbError | TableReadOnly> {
    return this.visibleTable(database, table).andThen(({ metadata, access }) =>
      access === "read-write"
        ? ok(metadata)
        : err<EntityMetadata, TableReadOnly>({
            code: "TABLE_READ_ONLY",
            message: `Table '${table}' of database '${database.name}' is read-only through the generic API; its module changes it through its own operations.`,
            database: database.name,
            details: { database: database.name, table_name: table, access },
          }),
    );
  }
}

/** Refusal of a generic write to a `read` table (HTTP 403). */
export interface TableReadOnly {
  readonly code: "TABLE_READ_ONLY";
  readonly message: string;
  readonly database: string;
  readonly details: Readonly<Record<string, unknown>>;
}
