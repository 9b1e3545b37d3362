import { QueryFailedError } from "typeorm";
import { dbError, DbErrorException, isDbError, type DbError } from "./db-error";

/** The SQLite result code carried by a better-sqlite3 error, such as `SQLITE_BUSY` or `SQLITE_CONSTRAINT_UNIQUE`. */
export function sqliteCodeOf(error: unknown): string | undefined {
  const candidate = error instanceof QueryFailedError ? (error.driverError as unknown) : error;
  if (typeof candidate === "object" && candidate !== null) {
    const code = (candidate as { code?: unknown }).code;
    if (typeof code === "string" && code.startsWith("SQLITE_")) return code;
  }
  return undefined;
}

/** True for the lock errors another connection or process can cause: they are worth retrying. */
export function isLockedError(error: unknown): boolean {
  const code = sqliteCodeOf(error);
  return code !== undefined && (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED"));
}

function messageOf(error: unknown): string {
  if (error instanceof QueryFailedError) {
    const driverMessage = (error.driverError as { message?: unknown } | undefined)?.message;
    if (typeof driverMessage === "string") return driverMessage;
  }
  return error instanceof Error ? error.message : String(error);
}

/**
 * Translates anything thrown by TypeORM or better-sqlite3 into a {@link DbError}.
 * Constraint and lock failures get their own codes; the rest become `fallback`.
 */
export function toDbError(error: unknown, database: string, fallback: DbError["code"] = "QUERY_FAILED"): DbError {
  if (error instanceof DbErrorException) return error.error;
  if (isDbError(error)) return error;
  const code = sqliteCodeOf(error);
  const message = messageOf(error);
  if (code?.startsWith("SQLITE_CONSTRAINT")) {
    return dbError("CONSTRAINT_VIOLATION", message, database, { sqlite_code: code });
  }
  if (code !== undefined && (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED"))) {
    return dbError("DATABASE_LOCKED", `Database '${database}' stayed locked: ${message}`, database, {
      sqlite_code: code,
    });
  }
  return dbError(fallback, message, database, code === undefined ? undefined : { sqlite_code: code });
}
