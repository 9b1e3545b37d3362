import { QueryFailedError } from "typeorm";
import { isConnectionError, sqlStateOf, toPostgresDbError } from "../engines/postgres/postgres-error";
import { sqliteCodeOf, toSqliteDbError } from "../engines/sqlite/sqlite-error";
import { dbError, DbErrorException, isDbError, type DbError } from "./db-error";

function messageOf(error: unknown): string {
  if (error instanceof QueryFailedError) {
    const driverMessage = (error.driverError as { message?: unknown } | undefined)?.message;
    if (typeof driverMessage === "string") return driverMessage;
  }
  return error instanceof Error ? error.message : String(error);
}

/**
 * Translates anything thrown by the data layer — a DbError, TypeORM, or any engine's driver — into
 * a {@link DbError} naming the database. Each engine recognises its own driver's errors (constraint,
 * lock, storage, corruption, connection loss get their own codes); anything no engine claims
 * becomes `fallback`. Callers holding a ModuleDatabase may ask it (`database.classify`) instead.
 */
export function toDbError(error: unknown, database: string, fallback: DbError["code"] = "QUERY_FAILED"): DbError {
  if (error instanceof DbErrorException) return error.error;
  if (isDbError(error)) return error;
  if (sqliteCodeOf(error) !== undefined) return toSqliteDbError(error, database, fallback);
  if (sqlStateOf(error) !== undefined || isConnectionError(error)) return toPostgresDbError(error, database, fallback);
  return dbError(fallback, messageOf(error), database);
}
