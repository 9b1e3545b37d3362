import path from "node:path";
import type Database from "better-sqlite3";
import { DataSource } from "typeorm";
import type { FrameworkSettings } from "../../config/settings";
import type { DatabaseObservers } from "../../database/database-observers";
import type { LockStats, RetryPolicy } from "../../database/retry-policy";
import { TimestampPrecisionSubscriber } from "../../database/timestamp-precision";
import { dbError, DbErrorException } from "../../errors/db-error";
import type { OpenDatabaseRequest } from "../engine";
import { withTimeout } from "../with-timeout";
import { ConnectionGate } from "./connection-gate";
import { databaseFileState } from "./file-state";
import { guardDataSource } from "./guard-data-source";
import { applyPragmasWithRetry } from "./pragmas";
import { SqliteReadConnection } from "./read-connection";
import { SqliteDirect } from "./sqlite-direct";
import { SqliteSession } from "./sqlite-session";
import { sqliteHandle } from "./typeorm-internals";

/** Where the SQLite file of a database lives: `<dataDir>/<name>.db`. */
export function databaseFile(dataDir: string, name: string): string {
  return path.join(dataDir, `${name}.db`);
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

/**
 * Opens (creating when missing, unless the framework remembers tables for it) the SQLite file of
 * one database with its own DataSource, applies the connection pragmas and guards the connection
 * for concurrent callers.
 * Tables are not touched here; schema work is the schema step's job.
 */
export async function openSqliteDatabase(request: OpenDatabaseRequest, settings: FrameworkSettings, file: string, observers: DatabaseObservers): Promise<SqliteSession> {
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
  observers.stats.retries += openingStats.retries;
  const keeper = guardDataSource(dataSource, { gate, stats: observers.stats, retry, condition: observers.condition, activity: observers.activity });
  const reader = await openReader(request, settings, file, observers, retry, dataSource);
  const direct = new SqliteDirect({
    name: request.name,
    gate,
    keeper,
    retry,
    stats: observers.stats,
    condition: observers.condition,
    activity: observers.activity,
    connection: () => sqliteHandle(dataSource),
    ...(reader === undefined ? {} : { reader }),
  });
  return new SqliteSession(request.name, dataSource, gate, observers.activity, direct, reader);
}

/**
 * The read connection, when the file is in WAL mode (only there do readers and a writer not block
 * each other). A reader that cannot be opened is no reason to refuse the database: reads then
 * share the writer's connection, as in the other journal modes.
 */
async function openReader(request: OpenDatabaseRequest, settings: FrameworkSettings, file: string, observers: DatabaseObservers, retry: RetryPolicy, writer: DataSource): Promise<SqliteReadConnection | undefined> {
  const mode = String(sqliteHandle(writer).pragma("journal_mode", { simple: true })).toLowerCase();
  if (mode !== "wal") return undefined;
  try {
    return await SqliteReadConnection.open({ name: request.name, file, entities: request.entities, sqlite: settings.sqlite, retry, observers });
  } catch {
    return undefined;
  }
}
