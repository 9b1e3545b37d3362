import { readdirSync } from "node:fs";
import path from "node:path";
import { err, ok, type Result } from "neverthrow";
import { isValidDatabaseName } from "../discovery/database-name";
import { backupError, type BackupError } from "./backup-error";

/** Names of the databases in a data dir: every `<name>.db` whose name is a valid DATABASE_NAME, sorted. */
export function databaseNamesIn(dataDir: string): string[] {
  let files: string[];
  try {
    files = readdirSync(dataDir);
  } catch {
    return [];
  }
  return files
    .filter((file) => file.endsWith(".db"))
    .map((file) => file.slice(0, -3))
    .filter(isValidDatabaseName)
    .sort();
}

/** Every database, or just `only` when given: DATABASE_NOT_FOUND (listing what exists) when it is not there. */
export function selectDatabases(available: readonly string[], only: string | undefined, where: string): Result<string[], BackupError> {
  if (only === undefined) return ok([...available]);
  if (available.includes(only)) return ok([only]);
  return err(backupError("DATABASE_NOT_FOUND", `Database '${only}' not found in ${where}.`, { database: only, available }));
}

/** The file of database `name` in `dir`. */
export function databasePath(dir: string, name: string): string {
  return path.join(dir, `${name}.db`);
}
