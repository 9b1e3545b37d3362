import { ResultAsync } from "neverthrow";
import { dbError, toDbError, type DbError } from "../../../framework";
import { DATABASE_NAME } from "../db-models";

/**
 * Runs database work and turns anything it throws (synchronously or not) into a DbError of the
 * ciap database, so service methods can return a ResultAsync and never throw.
 */
export function attempt<T>(work: () => Promise<T>): ResultAsync<T, DbError> {
  return ResultAsync.fromPromise(Promise.resolve().then(work), (error) => toDbError(error, DATABASE_NAME));
}

/** The RECORD_NOT_FOUND error for a missing row of a ciap table. */
export function recordNotFound(table: string, id: unknown): DbError {
  return dbError("RECORD_NOT_FOUND", `No record with id ${JSON.stringify(id)} in '${table}'.`, DATABASE_NAME, { table_name: table, id });
}
