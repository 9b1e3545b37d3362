import Database from "better-sqlite3";
import { MIGRATIONS_TABLE } from "../../../migrations/migration-table";

/** What a backup records about one database copy. */
export interface DatabaseInspection {
  /** `ok`, or the problems `PRAGMA integrity_check` reported. */
  readonly integrity: readonly string[];
  /** Rows per table: the module's tables, without SQLite's own and without `moduledb_migrations` (reported in `migrations`). */
  readonly rowCounts: Readonly<Record<string, number>>;
  /** Rows of `moduledb_migrations` when the table exists (the applied migrations), else null. */
  readonly migrations: readonly Record<string, unknown>[] | null;
}

function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * Makes a freshly written backup copy self-contained (rollback journal, so it is one file) and
 * inspects it: integrity check, row counts, migration state.
 */
export function finaliseAndInspect(file: string): DatabaseInspection {
  const connection = new Database(file, { fileMustExist: true });
  try {
    connection.pragma("journal_mode = DELETE");
    const integrity = (connection.pragma("integrity_check", { simple: false }) as { integrity_check: string }[]).map((row) => row.integrity_check);
    const tables = connection.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name").all() as { name: string }[];
    const rowCounts: Record<string, number> = {};
    for (const { name } of tables.filter((table) => table.name !== MIGRATIONS_TABLE)) rowCounts[name] = (connection.prepare(`SELECT COUNT(*) AS n FROM ${quoteIdentifier(name)}`).get() as { n: number }).n;
    const migrations = tables.some((table) => table.name === MIGRATIONS_TABLE) ? (connection.prepare(`SELECT * FROM ${quoteIdentifier(MIGRATIONS_TABLE)} ORDER BY 1`).all() as Record<string, unknown>[]) : null;
    return { integrity, rowCounts, migrations };
  } finally {
    connection.close();
  }
}

/** Moves what a WAL holds into the main file so the file alone is the whole database; errors are the caller's. */
export function checkpointFile(file: string): void {
  const connection = new Database(file, { fileMustExist: true, timeout: 5_000 });
  try {
    connection.pragma("wal_checkpoint(TRUNCATE)");
  } finally {
    connection.close();
  }
}
