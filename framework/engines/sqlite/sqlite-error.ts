import { QueryFailedError } from "typeorm";
import { constraintDetails } from "../../errors/constraint-details";
import { dbError, DbErrorException, isDbError, type DbError } from "../../errors/db-error";

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

/** True for the result codes that say the file itself is damaged or is not a database. */
export function isCorruptionCode(code: string | undefined): boolean {
  return code !== undefined && (code.startsWith("SQLITE_CORRUPT") || code === "SQLITE_NOTADB");
}

/** The storage-fault code of a SQLite result code: a full disk, or an I/O error / read-only file. */
function storageFaultOf(code: string | undefined): "DISK_FULL" | "IO_ERROR" | undefined {
  if (code === "SQLITE_FULL") return "DISK_FULL";
  if (code !== undefined && (code.startsWith("SQLITE_IOERR") || code.startsWith("SQLITE_READONLY"))) return "IO_ERROR";
  return undefined;
}

/**
 * Translates anything thrown by TypeORM or better-sqlite3 into a {@link DbError}: the SQLite
 * engine's `classify`. Outside the engine, use the engine-neutral `toDbError`.
 * Constraint, lock, storage (full disk, I/O) and corruption failures get their own codes, naming
 * the database; the rest become `fallback`.
 */
export function toSqliteDbError(error: unknown, database: string, fallback: DbError["code"] = "QUERY_FAILED"): DbError {
  if (error instanceof DbErrorException) return error.error;
  if (isDbError(error)) return error;
  const code = sqliteCodeOf(error);
  const message = messageOf(error);
  if (code?.startsWith("SQLITE_CONSTRAINT")) {
    return dbError("CONSTRAINT_VIOLATION", message, database, { sqlite_code: code, ...constraintDetails(code, message) });
  }
  if (code !== undefined && (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED"))) {
    return dbError("DATABASE_LOCKED", `Database '${database}' stayed locked: ${message}`, database, {
      sqlite_code: code,
    });
  }
  const fault = storageFaultOf(code);
  if (fault === "DISK_FULL") {
    return dbError("DISK_FULL", `Database '${database}': the disk is full (${message}); reads still work, writes fail until space is freed.`, database, { sqlite_code: code });
  }
  if (fault === "IO_ERROR") {
    return dbError("IO_ERROR", `Database '${database}': the storage reported an I/O error (${code}: ${message}); the write was not made.`, database, { sqlite_code: code });
  }
  if (isCorruptionCode(code)) {
    return dbError("DATABASE_CORRUPT", `Database '${database}' is corrupt (${code}: ${message}); it is refused until it is restored from a backup.`, database, { sqlite_code: code });
  }
  return dbError(fallback, message, database, code === undefined ? undefined : { sqlite_code: code });
}
