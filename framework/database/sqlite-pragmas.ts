import type Database from "better-sqlite3";
import type { SqliteSettings } from "../config/settings";

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

/** Applies the connection pragmas to a freshly opened better-sqlite3 connection. */
export function applyPragmas(connection: Database.Database, settings: SqliteSettings): void {
  for (const statement of pragmaStatements(settings)) connection.pragma(statement);
}

/** The pragma values a connection actually runs with, for status pages and tests. */
export function readPragmas(connection: Database.Database): Record<string, unknown> {
  const names = ["journal_mode", "synchronous", "cache_size", "temp_store", "foreign_keys", "busy_timeout"];
  return Object.fromEntries(names.map((name) => [name, connection.pragma(name, { simple: true })]));
}
