import type { DataSource, EntityManager, QueryRunner } from "typeorm";
import type { EngineKind } from "./engine";
import { POSTGRES_DIALECT } from "./postgres/postgres-dialect";
import { SQLITE_DIALECT } from "./sqlite/sqlite-dialect";

/** Hands out a placeholder for a bound value (the query layer's `ParameterBag`: `:q0`, `:q1`…). */
export interface ValueBinder {
  bind(value: unknown): string;
}

/** A value raw SQL may bind (the same set `SqlAccess` accepts). */
export type BindableValue = string | number | bigint | boolean | null | Date | Uint8Array;

/** What the values compared with a JSON path are, so an engine with typed JSON can compare like with like. */
export type JsonScalarKind = "number" | "text" | "boolean";

/** Anything that runs SQL: a DataSource, an EntityManager or a QueryRunner. */
export type SqlRunner = Pick<DataSource | EntityManager | QueryRunner, "query">;

/** A child row whose parent row is missing, as an engine's foreign key check reports it. */
export interface CatalogForeignKeyViolation {
  readonly table: string;
  readonly rowid: number | null;
  readonly parent: string;
  readonly fkid: number;
}

/** What it takes to create a table again exactly as the live database has it (for a migration's `down`). */
export interface TableDefinition {
  /** Statements that create the table with its constraints (no rows). */
  readonly create: readonly string[];
  /** Statements that create its indexes; run after the rows are back. */
  readonly indexes: readonly string[];
  /** Its columns, in order. */
  readonly columns: readonly string[];
}

/**
 * The engine's catalog and migration-mode statements, so migrations and inspection never read
 * `sqlite_master` or `information_schema` themselves.
 */
export interface SqlCatalog {
  /** Names of the tables of the database (the engine's own internal tables left out). */
  tableNames(runner: QueryRunner): Promise<string[]>;
  /** How to create `table` again as it is now; undefined when it does not exist. */
  tableDefinition(runner: QueryRunner, table: string): Promise<TableDefinition | undefined>;
  /**
   * Rows whose foreign keys point nowhere. Engines that check every foreign key at once (PostgreSQL)
   * cannot hold such rows and report none.
   */
  foreignKeyViolations(runner: SqlRunner): Promise<CatalogForeignKeyViolation[]>;
  /** Puts a connection in the mode table rebuilds need (SQLite: foreign keys off), outside any transaction. */
  enterMigrationMode(runner: SqlRunner): Promise<void>;
  /** Undoes {@link enterMigrationMode}. */
  leaveMigrationMode(runner: SqlRunner): Promise<void>;
  /** DDL of an integer primary key the database numbers itself, e.g. `"id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL`. */
  autoIncrementKey(column: string): string;
  /** DDL type of a column holding bytes (`BLOB`, `bytea`). */
  readonly bytesType: string;
}

/**
 * The SQL that differs between engines — for the query language's operators, for raw SQL
 * (`SqlAccess`: placeholders, bound values, rows read back) and for the framework's own statements.
 * Everything else the framework writes (comparisons, IN, BETWEEN, LIKE … ESCAPE, NULLS FIRST/LAST,
 * GROUP BY, `INSERT … ON CONFLICT … DO UPDATE/NOTHING`, `RETURNING`, `"quoted"` identifiers,
 * `TRUE`/`FALSE`) is common to SQLite 3.35+ and PostgreSQL. Each engine provides one, under
 * `framework/engines/<engine>/`. `expression` is an already-quoted column (or JSON path)
 * expression; values go through `bag`.
 */
export interface SqlDialect {
  readonly engine: EngineKind;
  /** TypeORM driver types (`DataSourceOptions.type`) whose DataSources speak this dialect. */
  readonly driverTypes: readonly string[];
  /** Quotes an identifier (`"name"`, doubled inner quotes). */
  quote(identifier: string): string;
  /** Turns SQL written with `?` placeholders into the engine's own (`$1`, `$2`… for PostgreSQL); quoted text and comments are left alone. */
  positional(sql: string): string;
  /** A value as the engine's driver binds it faithfully (SQLite: booleans as 1/0, Dates as UTC text). */
  bindValue(value: BindableValue): unknown;
  /** A row read back by raw SQL, its values in the framework's engine-neutral form (timestamps as UTC `YYYY-MM-DD HH:MM:SS.SSS` text). */
  readRow<T extends Record<string, unknown>>(row: T): T;
  /** The SQL literal of a boolean. */
  boolean(value: boolean): string;
  /** An expression for the current time, comparable with the framework's stored timestamps. */
  now(): string;
  /** The bytes a stored value takes (NULL for NULL), read as cheaply as the engine can (SQLite: from the record header). */
  storedSize(expression: string): string;
  /** An expression that turns timestamp text (ISO 8601 or the stored form) into a stored timestamp. */
  toTimestamp(expression: string): string;
  /** Appended to a SELECT inside a write transaction so the rows read stay locked until it ends (`""` where the whole database is locked already). */
  readonly lockRows: string;
  /**
   * `INSERT … ON CONFLICT (conflict) DO UPDATE SET col = excluded.col …` with `?` placeholders in
   * the engine's style; `DO NOTHING` when `update` is empty.
   */
  upsert(table: string, columns: readonly string[], conflict: readonly string[], update: readonly string[]): string;
  /** Case-insensitive LIKE of a user pattern (`%`, `_`, escaped with `\`). */
  ilike(expression: string, pattern: string, bag: ValueBinder): string;
  /** Case-sensitive substring tests of plain text (no wildcards). */
  contains(expression: string, text: string, bag: ValueBinder): string;
  startsWith(expression: string, text: string, bag: ValueBinder): string;
  endsWith(expression: string, text: string, bag: ValueBinder): string;
  /** A JSON array column holds `value` as one of its elements. */
  jsonArrayHas(expression: string, value: unknown, bag: ValueBinder): string;
  /** A comma-separated list column (TypeORM `simple-array`) holds `value`. */
  listHas(expression: string, value: string, bag: ValueBinder): string;
  /**
   * The scalar at `path` inside a JSON column, comparable with bound values of `kind` (text when
   * the kinds are mixed or unknown); NULL where the path is missing or holds JSON null.
   */
  jsonPath(expression: string, path: readonly (string | number)[], bag: ValueBinder, kind?: JsonScalarKind): string;
  /** Catalog reads and migration-mode statements. */
  readonly catalog: SqlCatalog;
}

const dialects = new Map<string, SqlDialect>();
for (const dialect of [SQLITE_DIALECT, POSTGRES_DIALECT]) for (const type of dialect.driverTypes) dialects.set(type, dialect);

/** Makes `dialect` the one used for DataSources of this TypeORM driver type. */
export function registerDialect(driverType: string, dialect: SqlDialect): void {
  dialects.set(driverType, dialect);
}

/** The dialect of a DataSource's engine (by its TypeORM driver type); SQLite's when none is known. */
export function dialectOf(dataSource: Pick<DataSource, "options">): SqlDialect {
  return dialects.get(String(dataSource.options.type)) ?? SQLITE_DIALECT;
}

export { escapeLike, quoteName, timestampText, upsertSql } from "./sql-common";
