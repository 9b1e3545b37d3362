import { existsSync } from "node:fs";
import Database from "better-sqlite3";
import type { ModuleDatabase } from "./module-database";

const statements = new WeakMap<Database.Database, Database.Statement>();

/**
 * `PRAGMA schema_version` of an open database, read on its own connection: SQLite bumps it on
 * every schema change by any connection, so a change made by another process shows up here. One
 * prepared statement per connection; reading it costs about a microsecond, cheap enough to do
 * before every use. Undefined when the connection is closed.
 */
export function liveSchemaVersion(database: ModuleDatabase): number | undefined {
  try {
    if (!database.dataSource.isInitialized) return undefined;
    const connection = database.connection();
    let statement = statements.get(connection);
    if (statement === undefined) {
      statement = connection.prepare("PRAGMA schema_version").pluck();
      statements.set(connection, statement);
    }
    return Number(statement.get());
  } catch {
    return undefined;
  }
}

/**
 * A fingerprint of a database file this process does not have open: its schema version and the
 * migrations recorded in it (a data-only migration changes no schema but does change what is
 * pending). Read through a short read-only connection; `missing` when there is no file and
 * `unreadable` when SQLite cannot read it.
 */
export function fileFingerprint(file: string): string {
  if (!existsSync(file)) return "missing";
  let connection: Database.Database | undefined;
  try {
    connection = new Database(file, { readonly: true, fileMustExist: true, timeout: 200 });
    const version = Number(connection.pragma("schema_version", { simple: true }));
    const hasMigrations = connection.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'moduledb_migrations'").get() !== undefined;
    const applied = hasMigrations ? (connection.prepare("SELECT group_concat(name, ',') FROM (SELECT name FROM moduledb_migrations ORDER BY name)").pluck().get() as string | null) : null;
    return `v${version}:${applied ?? ""}`;
  } catch {
    return "unreadable";
  } finally {
    connection?.close();
  }
}
