import { existsSync } from "node:fs";
import Database from "better-sqlite3";
import type { DatabaseEntry } from "../../database/database-registry";
import type { ForeignKeyViolation, IntegrityReport } from "../../inspection/integrity-report";
import { sqliteConnection } from "./sqlite-connection";

function runChecks(connection: Database.Database): { integrity: string[]; foreign_key_violations: ForeignKeyViolation[] } {
  const integrity = (connection.pragma("integrity_check") as { integrity_check: string }[]).map((row) => row.integrity_check);
  const violations = connection.pragma("foreign_key_check") as ForeignKeyViolation[];
  return { integrity, foreign_key_violations: violations };
}

function report(entry: DatabaseEntry, checks: { integrity: string[]; foreign_key_violations: ForeignKeyViolation[] }): IntegrityReport {
  const ok = checks.integrity.length === 1 && checks.integrity[0] === "ok" && checks.foreign_key_violations.length === 0;
  return { database: entry.name, file: entry.file, ...checks, ok };
}

/**
 * `PRAGMA integrity_check` and `PRAGMA foreign_key_check` of one database file. An open database is checked on its own connection while holding its
 * gate; a database boot did not open (refused, failed) is checked through a read-only connection,
 * because a broken file is exactly what this must be able to look at.
 */
export async function checkSqliteIntegrity(entry: DatabaseEntry): Promise<IntegrityReport> {
  const database = entry.database;
  try {
    if (entry.state === "ready" && database !== undefined) return report(entry, await database.gate.run(async () => runChecks(sqliteConnection(database))));
    if (!existsSync(entry.file)) return { database: entry.name, file: entry.file, integrity: [], foreign_key_violations: [], ok: false, error: "The database file does not exist." };
    const connection = new Database(entry.file, { readonly: true, fileMustExist: true });
    try {
      return report(entry, runChecks(connection));
    } finally {
      connection.close();
    }
  } catch (error) {
    return { database: entry.name, file: entry.file, integrity: [], foreign_key_violations: [], ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}
