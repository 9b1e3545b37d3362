import { describeConstraint, type ConstraintDetails } from "../../errors/constraint-details";
import { DB_ERROR_CODES, type DbError, type DbErrorCode } from "../../errors/db-error";

/**
 * Error codes only the HTTP layer produces, on top of the data layer's {@link DB_ERROR_CODES}.
 * Like those, they are a public contract: clients branch on them.
 */
export const HTTP_ERROR_CODES = [
  "UNAUTHORIZED",
  "FORBIDDEN",
  "HOST_NOT_ALLOWED",
  "TABLE_READ_ONLY",
  "PAYLOAD_TOO_LARGE",
  "UNSUPPORTED_MEDIA_TYPE",
  "ROUTE_NOT_FOUND",
  "MODULE_NOT_FOUND",
  "MODULE_UNAVAILABLE",
  "DATABASE_REQUIRED",
  "NOT_READY",
  "NOT_IMPLEMENTED",
  "INTERNAL_ERROR",
] as const;

/**
 * Codes of the migration operations (framework/migrations) that are not data-layer codes, as the
 * migration routes report them.
 */
export const MIGRATION_ERROR_CODES = [
  "INVALID_MESSAGE",
  "MIGRATION_LOAD_FAILED",
  "MIGRATION_FAILED",
  "REVERT_FAILED",
  "MIGRATION_NOT_FOUND",
  "MIGRATION_MISSING",
  "NOTHING_TO_REVERT",
  "PENDING_MIGRATIONS",
  "GENERATE_FAILED",
] as const;

/** Every code an API error response can carry. */
export const API_ERROR_CODES = [...DB_ERROR_CODES, ...HTTP_ERROR_CODES, ...MIGRATION_ERROR_CODES] as const;

/** One API error code. */
export type ApiErrorCode = DbErrorCode | (typeof HTTP_ERROR_CODES)[number] | (typeof MIGRATION_ERROR_CODES)[number];

/** The component that raised an error, reported as `error.module` (the seed's `core.database`). */
export type ApiErrorSource = "core.database" | "core.http" | "core.migrations";

/** The body of every error response: `{ error: ApiError }`. */
export interface ApiError {
  readonly code: ApiErrorCode;
  readonly message: string;
  readonly module: ApiErrorSource;
  readonly details: Readonly<Record<string, unknown>>;
}

/** Builds an {@link ApiError}. */
export function apiError(code: ApiErrorCode, message: string, module: ApiErrorSource = "core.http", details: Record<string, unknown> = {}): ApiError {
  return { code, message, module, details };
}

/**
 * A constraint failure as the API reports it: the kind, table and columns in the API's own words;
 * the engine's message and result code stay out of the response.
 */
function fromConstraintViolation(error: DbError): ApiError {
  const raw = (error.details ?? {}) as Partial<ConstraintDetails> & Record<string, unknown>;
  const constraint: ConstraintDetails = { constraint: raw.constraint ?? "other", columns: raw.columns ?? [], ...(raw.table === undefined ? {} : { table: raw.table }), ...(raw.constraint_name === undefined ? {} : { constraint_name: raw.constraint_name }) };
  const details: Record<string, unknown> = { ...constraint };
  if (error.database !== undefined) details.database = error.database;
  // Keys the data layer adds for its own callers (row of a batch, say) are kept; the driver's code is not.
  for (const key of ["row", "table_name"]) if (raw[key] !== undefined) details[key] = raw[key];
  return apiError("CONSTRAINT_VIOLATION", describeConstraint(constraint), "core.database", details);
}

/** A data-layer error as the API reports it; the database it concerns moves into `details`. */
export function fromDbError(error: DbError): ApiError {
  if (error.code === "CONSTRAINT_VIOLATION") return fromConstraintViolation(error);
  const details: Record<string, unknown> = { ...(error.details ?? {}) };
  if (error.database !== undefined && details.database === undefined) details.database = error.database;
  return apiError(error.code, error.message, "core.database", details);
}

/**
 * Thrown by route handlers to answer with a specific {@link ApiError}; the error handler turns it
 * into the response (status chosen by code).
 */
export class ApiErrorException extends Error {
  constructor(readonly error: ApiError) {
    super(error.message);
    this.name = "ApiErrorException";
  }
}
