import { closeSync, existsSync, openSync, readSync, statSync } from "node:fs";
import type Database from "better-sqlite3";

const statements = new WeakMap<Database.Database, Database.Statement>();

/**
 * `PRAGMA schema_version` of an open database, read on its own connection: SQLite bumps it on
 * every schema change by any connection, so a change made by another process shows up here. One
 * prepared statement per connection; reading it costs about a microsecond, cheap enough to do
 * before every use. Undefined when the connection cannot answer.
 */
export function liveSchemaVersion(connection: Database.Database): number | undefined {
  try {
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
 * A fingerprint of a database file this process does not have open, read without opening it with
 * SQLite (a read-only connection would leave -wal/-shm files behind): the header's file change
 * counter (offset 24) and schema cookie (offset 40), plus the size and time of its -wal file, where
 * changes live until they are checkpointed. Any schema change, migration or other write by another
 * process changes it. `missing` when there is no file.
 */
export function fileFingerprint(file: string): string {
  if (!existsSync(file)) return "missing";
  try {
    const header = Buffer.alloc(100);
    const descriptor = openSync(file, "r");
    let read: number;
    try {
      read = readSync(descriptor, header, 0, 100, 0);
    } finally {
      closeSync(descriptor);
    }
    const wal = statSync(`${file}-wal`, { throwIfNoEntry: false });
    const head = read < 100 ? `short:${read}` : `c${header.readUInt32BE(24)}:s${header.readUInt32BE(40)}`;
    return `${head}:w${wal === undefined ? "-" : `${wal.size}@${wal.mtimeMs}`}`;
  } catch {
    return "unreadable";
  }
}
