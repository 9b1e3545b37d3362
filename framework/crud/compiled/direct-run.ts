import { err, errAsync, ResultAsync, type Result } from "neverthrow";
import type { DatabaseRegistry } from "../../database/database-registry";
import type { DirectConnection, DirectMode } from "../../engines/engine";
import { dbError, type DbError } from "../../errors/db-error";
import type { TableTarget } from "../query/table-target";
import type { CompiledTable } from "./compiled-table";

/** RECORD_NOT_FOUND for `id` in `table`: the one wording every path of the CrudService uses. */
export function recordNotFound(table: string, database: string, id: unknown): DbError {
  return dbError("RECORD_NOT_FOUND", `No record with id ${JSON.stringify(id)} in '${table}'.`, database, { table_name: table, id });
}

/** A compiled table together with the database and metadata it was resolved from. */
export interface CompiledTarget extends TableTarget {
  readonly table: CompiledTable;
}

/**
 * Runs one unit of direct work on a compiled table and turns its outcome into a ResultAsync:
 * synchronously finished work costs one settled promise, queued work waits its turn. Failures
 * are classified by the database's engine (writes with TRANSACTION_FAILED as their fallback, as
 * the DataSource path does); a read that fails because another process changed the schema under
 * it gets the registry's DATABASE_UNAVAILABLE ("being re-checked") instead of a raw SQL error.
 */
export function runDirect<T, U>(
  registry: DatabaseRegistry,
  target: CompiledTarget,
  mode: DirectMode,
  work: (connection: DirectConnection) => T,
  finish: (value: T) => Result<U, DbError>,
): ResultAsync<U, DbError> {
  let outcome: T | Promise<T>;
  try {
    outcome = target.table.direct.run(mode, work);
  } catch (error) {
    return errAsync(directFailure(registry, target, mode, error));
  }
  if (outcome instanceof Promise) return ResultAsync.fromPromise(outcome, (error) => directFailure(registry, target, mode, error)).andThen(finish);
  const settled = finish(outcome);
  return new ResultAsync(Promise.resolve(settled));
}

function directFailure(registry: DatabaseRegistry, target: CompiledTarget, mode: DirectMode, error: unknown): DbError {
  const classified = target.db.classify(error, mode === "write" ? "TRANSACTION_FAILED" : "QUERY_FAILED");
  if (classified.code !== "QUERY_FAILED" && classified.code !== "TRANSACTION_FAILED") return classified;
  return registry.schemaChangeBehind(target.db.name) ?? classified;
}

/** An error Result, typed for `runDirect`'s `finish`. */
export function refused<U>(error: DbError): Result<U, DbError> {
  return err(error);
}
