import type { Result, ResultAsync } from "neverthrow";
import type { DbError } from "../../errors/db-error";
import { isModuleError, type ModuleError, type ModuleOrDbError } from "../../errors/module-error";
import { scrubErrorDetails } from "../sensitive/hide-sensitive";
import { ApiErrorException, fromDbError, type ApiError } from "./api-error";

const NONE: ReadonlySet<string> = new Set();

/**
 * Awaits a data-layer Result inside a route handler: the value, or an {@link ApiErrorException}
 * the error handler turns into the response. Sensitive column names are dropped from the help
 * an error offers (such as `available_columns`).
 */
export async function unwrapDb<T>(result: ResultAsync<T, DbError> | Result<T, DbError>, sensitive: ReadonlySet<string> = NONE): Promise<T> {
  const settled = await result;
  if (settled.isOk()) return settled.value;
  throw new ApiErrorException(scrubErrorDetails(fromDbError(settled.error), sensitive));
}

/** Same for Results whose error is already an {@link ApiError}. */
export function unwrapApi<T>(result: Result<T, ApiError>): T {
  if (result.isOk()) return result.value;
  throw new ApiErrorException(result.error);
}

/**
 * Awaits a module service's Result: the value, or the response for its error — a
 * {@link ModuleError} in the standard shape with the module's own code and status, a data-layer
 * error as {@link unwrapDb} answers it.
 */
export async function unwrapModule<T, C extends string>(result: ResultAsync<T, ModuleOrDbError<C>> | Result<T, ModuleOrDbError<C>>): Promise<T> {
  const settled = await result;
  if (settled.isOk()) return settled.value;
  if (isModuleError(settled.error)) throw new ModuleErrorException(settled.error);
  throw new ApiErrorException(fromDbError(settled.error));
}

/** Thrown by route handlers to answer with a module's own error (see {@link unwrapModule}). */
export class ModuleErrorException extends Error {
  constructor(readonly error: ModuleError<string>) {
    super(error.message);
    this.name = "ModuleErrorException";
  }
}
