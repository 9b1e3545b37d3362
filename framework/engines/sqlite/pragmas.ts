import type Database from "better-sqlite3";
import type { SqliteSettings } from "../../config/settings";
import { isLockedError } from "./sqlite-error";
import { retryOnLocked, type LockStats, type RetryPolicy } from "../../database/retry-policy";

/** The pragma statements every connection gets, in the order they must run. */
export function pragmaStatements(settings: SqliteSettings): string[] {
  return [
    `busy_timeout = ${settings.busyTimeoutMs}`,
    `journal_mode = ${settings.journalMode}`,
    `synchronous = ${settings.synchronous}`,
    `cache_size = ${settings.cacheSize}`,
    "temp_store = MEMORY",
    "foreign_keys = ON",
  ];
}

/**
 * Applies the connection pragmas, retrying lock errors with backoff. Turning a new file to WAL
 * needs a moment of exclusive access, which another process opening the same file at the same
 * time may hold. When it gives up, the connection is closed (TypeORM would leak it) and the lock
 * error is rethrown.
 */
export async function applyPragmasWithRetry(connection: Database.Database, settings: SqliteSettings, retry: RetryPolicy, stats: LockStats): Promise<void> {
  try {
    for (const statement of pragmaStatements(settings)) {
      await retryOnLocked(async () => connection.pragma(statement), isLockedError, retry, stats);
    }
  } catch (error) {
    connection.close();
    throw error;
  }
}

/** The pragma values a connection actually runs with, for status pages and tests. */
export function readPragmas(connection: Database.Database): Record<string, unknown> {
  const names = ["journal_mode", "synchronous", "cache_size", "temp_store", "foreign_keys", "busy_timeout"];
  return Object.fromEntries(names.map((name) => [name, connection.pragma(name, { simple: true })]));
}
