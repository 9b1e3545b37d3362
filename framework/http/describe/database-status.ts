import type { Framework } from "../../boot/framework";
import type { DatabaseEntry } from "../../database/database-registry";

/** A database as the status route reports it. */
export interface DatabaseStatus {
  readonly name: string;
  readonly file: string;
  readonly state: string;
  readonly modules: readonly string[];
  readonly tables: string[];
  readonly table_count: number;
  readonly health: { healthy: boolean; latency_ms: number; error?: string };
  /** Migrations written but not yet applied; null when they cannot be read. */
  readonly pending_migrations: number | null;
  readonly problems: readonly string[];
  /** Set while the database is refused with a code of its own (DATABASE_CORRUPT, DATABASE_EMPTIED, ...). */
  readonly refusal: { readonly code: string; readonly message: string } | null;
  /** A storage fault in progress (DISK_FULL, IO_ERROR): reads still work, writes fail until it clears. */
  readonly fault: { readonly code: string; readonly message: string; readonly since: string; readonly failures: number } | null;
}

/** Counts a database's pending migrations; null when unknown. */
export type PendingMigrationCounter = (database: string) => Promise<number | null>;

/**
 * Probes one database (a `SELECT 1` through its gate) and lists the tables `shows` lets through
 * (over HTTP: the ones the access policy does not hide).
 */
export async function describeDatabase(entry: DatabaseEntry, pending: PendingMigrationCounter, shows: (table: string) => boolean = () => true): Promise<DatabaseStatus> {
  const fault = entry.database?.condition.fault;
  const base = {
    name: entry.name,
    file: entry.file,
    state: entry.state,
    modules: entry.modules,
    problems: entry.problems,
    refusal: entry.refusal === undefined ? null : { code: entry.refusal.code, message: entry.refusal.message },
    fault: fault === undefined ? null : { ...fault },
  };
  const database = entry.database;
  if (database === undefined || entry.state !== "ready") {
    // A refused database often waits for exactly these migrations, so they are counted here too.
    const pendingCount = await pending(entry.name).catch(() => null);
    return { ...base, tables: [], table_count: 0, health: { healthy: false, latency_ms: 0, error: `database is ${entry.state}` }, pending_migrations: pendingCount };
  }
  const [probe, pendingCount] = await Promise.all([database.health(), pending(entry.name).catch(() => null)]);
  const tables = database.tableNames().filter(shows);
  const health = { healthy: probe.healthy, latency_ms: Math.round(probe.latencyMs * 1000) / 1000, ...(probe.error === undefined ? {} : { error: probe.error }) };
  return { ...base, tables, table_count: tables.length, health, pending_migrations: pendingCount };
}

/** Every database's status, in name order; hidden tables are not named. */
export function describeDatabases(framework: Framework, pending: PendingMigrationCounter): Promise<DatabaseStatus[]> {
  return Promise.all(framework.databases.list().map((entry) => describeDatabase(entry, pending, (table) => framework.access.tableAccess(entry.name, table) !== "hidden")));
}
