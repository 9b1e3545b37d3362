import path from "node:path";
import type Database from "better-sqlite3";
import { DataSource } from "typeorm";
import type { FrameworkSettings } from "../config/settings";
import type { EntityClassOrSchema } from "../discovery/discovered-module";
import { databaseFileState } from "../engines/sqlite/file-state";
import { dbError, DbErrorException } from "../errors/db-error";
import { ConnectionGate } from "./connection-gate";
import { guardDataSource } from "./guard-data-source";
import { ModuleDatabase } from "./module-database";
import type { LockStats, RetryPolicy } from "./retry-policy";
import { applyPragmasWithRetry } from "./sqlite-pragmas";
import { TimestampPrecisionSubscriber } from "./timestamp-precision";

/** Where the file of a database lives: `<dataDir>/<name>.db`. */
export function databaseFile(dataDir: string, name: string): string {
  return path.join(dataDir, `${name}.db`);
}

/** What is needed to open one database. */
export interface OpenDatabaseRequest {
  readonly name: string;
  readonly entities: readonly EntityClassOrSchema[];
  readonly modules: readonly string[];
  /** TypeORM migration classes or glob patterns for this database. */
  readonly migrations?: readonly (string | (new () => object))[];
  /** Tables the framework database remembers for it: a missing or empty file is then refused, not created. */
  readonly rememberedTables?: readonly string[];
}

/**
 * DATABASE_EMPTIED when the file of a database the framework remembers tables for is missing or
 * empty: opening it would silently start a new, empty database in its place.
 */
function refuseEmptied(request: OpenDatabaseRequest, file: string): void {
  const remembered = request.rememberedTables ?? [];
  if (remembered.length === 0) return;
  const state = databaseFileState(file);
  if (state === "present") return;
  const found = state === "missing" ? "is missing" : "is empty (0 bytes)";
  throw new DbErrorException(
    dbError(
      "DATABASE_EMPTIED",
      `Database '${request.name}': its file ${path.basename(file)} ${found}, but the framework database remembers its tables (${remembered.join(", ")}); it is refused rather than recreated empty. Restore it with 'moduledb restore <backup-dir> ${request.name}', or run 'moduledb forget ${request.name}' to start it empty.`,
      request.name,
      { file_state: state, remembered_tables: [...remembered] },
    ),
  );
}

async function withTimeout<T>(work: Promise<T>, seconds: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${seconds}s (DATABASE_CONNECTION_TIMEOUT).`)), seconds * 1000);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Opens (creating when missing, unless the framework remembers tables for it) the SQLite file of
 * one database with its own DataSource, applies the connection pragmas and guards the connection
 * for concurrent callers.
 * Tables are not touched here; schema work is the schema step's job.
 */
export async function openModuleDatabase(request: OpenDatabaseRequest, settings: FrameworkSettings): Promise<ModuleDatabase> {
  const file = databaseFile(settings.dataDir, request.name);
  refuseEmptied(request, file);
  const retry: RetryPolicy = { maxRetries: settings.maxRetries, baseDelayMs: settings.retryBaseDelayMs, maxDelayMs: 2_000 };
  const openingStats: LockStats = { retries: 0, lockedFailures: 0 };
  const dataSource = new DataSource({
    type: "better-sqlite3",
    database: file,
    entities: [...request.entities],
    migrations: [...(request.migrations ?? [])] as string[],
    migrationsTableName: "moduledb_migrations",
    synchronize: false,
    migrationsRun: false,
    logging: false,
    // Create and update dates keep their milliseconds (see TimestampPrecisionSubscriber).
    subscribers: [TimestampPrecisionSubscriber],
    timeout: settings.sqlite.busyTimeoutMs,
    prepareDatabase: (connection: Database.Database) => applyPragmasWithRetry(connection, settings.sqlite, retry, openingStats),
  });
  await withTimeout(dataSource.initialize(), settings.connectionTimeoutSeconds, `Opening database '${request.name}'`);
  const gate = new ConnectionGate(request.name);
  const database = new ModuleDatabase(request.name, file, dataSource, request.entities, gate, request.modules);
  database.stats.retries += openingStats.retries;
  guardDataSource(dataSource, { gate, stats: database.stats, retry, condition: database.condition, activity: database.activity });
  return database;
}
