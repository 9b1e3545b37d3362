import type { DatabaseRefusal } from "../database/database-registry";
import type { ModuleDatabase } from "../database/module-database";
import { dbError, DbErrorException } from "../errors/db-error";
import { toDbError } from "../errors/to-db-error";

/**
 * The refusal for a database whose file cannot be trusted — corrupt (DATABASE_CORRUPT) or missing
 * or empty although it had tables (DATABASE_EMPTIED) — or undefined for any other failure.
 */
export function fileRefusal(error: unknown, database: string): DatabaseRefusal | undefined {
  const classified = toDbError(error, database);
  if (classified.code !== "DATABASE_CORRUPT" && classified.code !== "DATABASE_EMPTIED") return undefined;
  return { code: classified.code, message: classified.message };
}

/** Throws DATABASE_CORRUPT unless the engine's deep check (SQLite: `PRAGMA quick_check`, one read of the file) finds the storage sound. */
export async function refuseIfCorrupt(database: ModuleDatabase): Promise<void> {
  // The engine reads straight from its connection: a corrupt page may make the check throw rather than report.
  const findings = await database.session.deepCheck();
  if (findings.length === 1 && findings[0] === "ok") return;
  throw new DbErrorException(dbError("DATABASE_CORRUPT", `Database '${database.name}' is corrupt (deep check: ${findings.slice(0, 3).join("; ")}); it is refused until it is restored from a backup.`, database.name));
}
