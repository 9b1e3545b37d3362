import type { DataSource, EntityManager, QueryRunner, TableColumn } from "typeorm";
import type { ColumnMetadata } from "typeorm/metadata/ColumnMetadata";
import type { FrameworkSettings } from "../config/settings";
import type { DatabaseEntry } from "../database/database-registry";
import type { DatabaseObservers } from "../database/database-observers";
import type { IntegrityReport } from "../inspection/integrity-report";
import type { EntityClassOrSchema } from "../discovery/discovered-module";
import type { DbError } from "../errors/db-error";

/** The engines a `DATABASE_URL` can name. */
export type EngineKind = "sqlite" | "postgres";

/**
 * What an engine can and needs, so callers ask instead of testing the engine's name.
 */
export interface EngineCapabilities {
  /** Each database is one file under a folder: file sizes, file fingerprints, holder files and "missing file" refusals apply. */
  readonly fileBased: boolean;
  /** A consistent copy can be taken while the database serves writes. */
  readonly onlineBackup: boolean;
  /** One connection serves every caller of a process, so database work passes one gate at a time. */
  readonly needsWriteGate: boolean;
  /** Several server processes may serve the same database at once without a file lock between them. */
  readonly sharedByProcesses: boolean;
}

/**
 * Exclusive use of a database's connection for one unit of work; the holder's own nested calls
 * pass straight through. Every engine has one: where connections are pooled, it pins one.
 */
export interface EngineGate {
  /** The `DATABASE_NAME` it guards. */
  readonly name: string;
  /** Runs `work` while holding the gate. */
  run<T>(work: () => Promise<T>): Promise<T>;
  /** True when the current async context holds the gate. */
  isHeld(): boolean;
  /** Callers currently waiting for it. */
  readonly queueLength: number;
}

/** A column as the live database has it. */
export interface LiveColumn {
  readonly name: string;
  readonly type: string;
  readonly nullable: boolean;
  readonly primary: boolean;
}

/** An index as the live database has it. */
export interface LiveIndex {
  readonly name: string;
  readonly columns: readonly string[];
  readonly unique: boolean;
}

/** A table as the live database has it, read from the engine's own catalog. */
export interface LiveTable {
  readonly name: string;
  readonly columns: readonly LiveColumn[];
  readonly indexes: readonly LiveIndex[];
}

/**
 * A statement the engine prepared once on its own driver, for the CrudService's hot paths.
 * Parameters are positional (placeholders from {@link EngineDirect.placeholder}) and already in
 * the form the driver stores (see `driver.preparePersistentValue`); rows come back keyed by the
 * column names the statement selects, as the driver returns them (not hydrated).
 */
export interface DirectStatement {
  /** The first row, or undefined when there is none. */
  get(parameters: readonly unknown[]): Record<string, unknown> | undefined;
  /** Every row. */
  all(parameters: readonly unknown[]): Record<string, unknown>[];
  /** Runs a statement that returns no rows; the number of rows it changed. */
  run(parameters: readonly unknown[]): number;
}

/** The connection as direct work sees it while it holds it. */
export interface DirectConnection {
  /** The statement for `sql`, prepared once per connection and cached (callers build SQL once per table, not per call). */
  prepare(sql: string): DirectStatement;
  /**
   * Runs `work` in one write transaction, synchronously: committed when it returns, rolled back
   * when it throws (the error passes on). Nested calls run inside the outer transaction.
   */
  transaction<T>(work: () => T): T;
}

/** How a unit of direct work uses the database: it decides the connection, retries and bookkeeping. */
export type DirectMode = "read" | "write";

/**
 * Synchronous access to the engine's driver for single statements and short transactions that
 * need no await in between (the CrudService's compiled statements). An engine offers it only
 * where its driver is synchronous; callers fall back to the DataSource when it is absent.
 */
export interface EngineDirect {
  /** The placeholder of the `index`-th (0-based) positional parameter (`?` on SQLite, `$1` on PostgreSQL). */
  placeholder(index: number): string;
  /**
   * True when the TypeORM driver stores (`write`: `preparePersistentValue`) or returns (`read`:
   * `prepareHydratedValue`) every value of `column` unchanged, so compiled statements may skip
   * the conversion; when false they call the driver's own.
   */
  keepsValuesAsIs(column: ColumnMetadata, direction: "read" | "write"): boolean;
  /**
   * Runs `work` holding the connection: at once when nobody else holds it (the result comes back
   * synchronously), after the callers ahead otherwise (a Promise). Lock errors are retried where
   * that cannot change meaning — so `work` must touch nothing but the database. Failures throw
   * the driver's error; classify them with {@link EngineSession.classify}. A `write` that
   * returns without throwing has committed.
   */
  run<T>(mode: DirectMode, work: (connection: DirectConnection) => T): T | Promise<T>;
}

/**
 * One open database as an engine runs it: its DataSource (TypeORM stays the entity, metadata and
 * migration layer), the gate, and what only the engine knows how to do.
 */
export interface EngineSession {
  readonly dataSource: DataSource;
  readonly gate: EngineGate;
  /** Runs `work` in one write transaction; the engine retries whatever it knows is safe to retry. */
  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T>;
  /**
   * Runs read-only `work` on one consistent snapshot; writes inside it are refused. Called inside
   * a write transaction, it sees that transaction's own writes; outside one, an engine with a read
   * connection (SQLite in WAL mode) serves it there, without waiting for writers.
   */
  read<T>(work: (manager: EntityManager) => Promise<T>): Promise<T>;
  /**
   * True when `sql` is a single query that cannot write and {@link read} would serve it without
   * the write gate, so raw SQL reads may go there too; absent or false: send it to the writer.
   */
  readsOnly?(sql: string): boolean;
  /** Problems a deep check of the storage finds (`["ok"]` when sound); throws when it cannot check at all. */
  deepCheck(): Promise<readonly string[]>;
  /** The connection settings in force (pragmas, session settings), for status pages and tests. */
  settingsInForce(): Record<string, unknown>;
  /** A number the engine changes on every schema change by anyone; undefined when it cannot be read. */
  schemaVersion(): number | undefined;
  /** Tables, columns and indexes as the live database has them. */
  inspect(): Promise<LiveTable[]>;
  /**
   * Takes, inside `runner`'s open transaction, the lock that serialises schema changes of this
   * database across processes (held until that transaction ends), so several processes booting at
   * once apply a change once. Absent where the write transaction itself already excludes every
   * other writer (SQLite's BEGIN IMMEDIATE).
   */
  lockSchema?(runner: QueryRunner): Promise<void>;
  /**
   * Adds a nullable or defaulted `column` to an existing table in place, inside `runner`'s open
   * transaction. Absent where TypeORM's own `addColumn` would rebuild the table (SQLite): the
   * schema step then writes the `ALTER TABLE … ADD COLUMN` itself.
   */
  addColumn?(runner: QueryRunner, table: string, column: TableColumn): Promise<void>;
  /** Folds the write-ahead log into the main storage without waiting; true when all of it was folded. */
  checkpoint(): Promise<boolean>;
  /** Turns anything thrown by this engine's driver into a DbError. */
  classify(error: unknown, fallback?: DbError["code"]): DbError;
  /** Releases the connection(s); the engine makes what was committed durable first. */
  close(): Promise<void>;
  /** Direct synchronous statements on the driver, where the engine has them (SQLite); undefined elsewhere. */
  readonly direct?: EngineDirect;
}

/** What is needed to open one database. */
export interface OpenDatabaseRequest {
  readonly name: string;
  readonly entities: readonly EntityClassOrSchema[];
  readonly modules: readonly string[];
  /** TypeORM migration classes or glob patterns for this database. */
  readonly migrations?: readonly (string | (new () => object))[];
  /** Tables the framework database remembers for it: a missing or empty store is then refused, not created. */
  readonly rememberedTables?: readonly string[];
}

/** What an engine's own backup of one database wrote into the backup folder (engines that are not file-based). */
export interface EngineBackupCopy {
  /** The file written, relative to the backup folder (e.g. `ciap.pgdump`). */
  readonly file: string;
  /** `["ok"]` when the written copy reads back. */
  readonly integrity: readonly string[];
  /** Rows per table, read on the same snapshot as the copy. */
  readonly rowCounts: Readonly<Record<string, number>>;
  /** Rows of `moduledb_migrations` in the copy, or null when there is no such table. */
  readonly migrations: readonly Record<string, unknown>[] | null;
}

/** A database engine: how databases of one kind are opened, located and classified. */
export interface DatabaseEngine {
  readonly kind: EngineKind;
  readonly capabilities: EngineCapabilities;
  /** Where database `name` lives, safe to show (a file path, or a server and schema without password). */
  location(name: string): string;
  /** Opens database `name`, creating it when missing unless the request remembers tables for it. */
  open(request: OpenDatabaseRequest, settings: FrameworkSettings, observers: DatabaseObservers): Promise<EngineSession>;
  /** A fingerprint of the schema of a database this process does not have open ("missing" when absent). */
  fingerprint(name: string): string;
  /** The engine's integrity and constraint checks of one database, open or not. */
  checkIntegrity(entry: DatabaseEntry): Promise<IntegrityReport>;
  /**
   * Writes a consistent copy of database `name` into folder `targetDir` while it keeps serving
   * (PostgreSQL: `pg_dump` of its schema). Absent for file-based engines, whose files the backup
   * copies itself (SQLite's online backup API); throws NOT_SUPPORTED where the tools are missing.
   */
  backup?(name: string, targetDir: string): Promise<EngineBackupCopy>;
  /** Replaces database `name` with the copy in `sourceFile` written by {@link backup}, all or nothing. */
  restore?(name: string, sourceFile: string): Promise<void>;
}
