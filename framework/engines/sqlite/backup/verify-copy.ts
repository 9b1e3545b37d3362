import Database from "better-sqlite3";

/** What `integrity_check` and `foreign_key_check` said about a database file. */
export interface CopyVerdict {
  /** Empty when the file is sound; otherwise one line per problem. */
  readonly problems: readonly string[];
}

/**
 * Runs `PRAGMA integrity_check` and `PRAGMA foreign_key_check` on a database file through a
 * read-only connection. A file SQLite cannot even read (a damaged header, say) is a problem too.
 */
export function verifyDatabaseCopy(file: string, maxProblems = 20): CopyVerdict {
  let connection: Database.Database | undefined;
  try {
    connection = new Database(file, { readonly: true, fileMustExist: true });
    const integrity = (connection.pragma("integrity_check", { simple: false }) as { integrity_check: string }[]).map((row) => row.integrity_check);
    const problems = integrity.length === 1 && integrity[0] === "ok" ? [] : integrity.map((line) => `integrity_check: ${line}`);
    const violations = connection.pragma("foreign_key_check") as { table: string; rowid: number | null; parent: string }[];
    for (const violation of violations) problems.push(`foreign_key_check: ${violation.table} rowid ${violation.rowid ?? "?"} references a missing row of ${violation.parent}`);
    return { problems: problems.slice(0, maxProblems) };
  } catch (error) {
    return { problems: [`unreadable: ${error instanceof Error ? error.message : String(error)}`] };
  } finally {
    connection?.close();
  }
}
