/**
 * Every error code the data layer can return. Codes are part of the public contract:
 * callers (and the HTTP layer) branch on them, so they never change meaning.
 */
export const DB_ERROR_CODES = [
  "DATABASE_NOT_FOUND",
  "DATABASE_UNAVAILABLE",
  "TABLE_NOT_FOUND",
  "COLUMN_NOT_FOUND",
  "INVALID_FILTER",
  "VALIDATION_FAILED",
  "RECORD_NOT_FOUND",
  "CONSTRAINT_VIOLATION",
  "DATABASE_LOCKED",
  "TRANSACTION_FAILED",
  "QUERY_FAILED",
  "DISK_FULL",
  "IO_ERROR",
  "DATABASE_CORRUPT",
  "DATABASE_EMPTIED",
  "RESULT_TOO_LARGE",
] as const;

/** A typed error code of the data layer. */
export type DbErrorCode = (typeof DB_ERROR_CODES)[number];

/** The error half of every data-layer Result. */
export interface DbError {
  readonly code: DbErrorCode;
  readonly message: string;
  readonly database?: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

/** Builds a {@link DbError}; omits absent optional fields so errors serialise cleanly. */
export function dbError(
  code: DbErrorCode,
  message: string,
  database?: string,
  details?: Record<string, unknown>,
): DbError {
  const error: { code: DbErrorCode; message: string; database?: string; details?: Record<string, unknown> } = {
    code,
    message,
  };
  if (database !== undefined) error.database = database;
  if (details !== undefined) error.details = details;
  return error;
}

/** True when `value` has the shape of a {@link DbError}. */
export function isDbError(value: unknown): value is DbError {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { code?: unknown }).code === "string" &&
    (DB_ERROR_CODES as readonly string[]).includes((value as { code: string }).code) &&
    typeof (value as { message?: unknown }).message === "string"
  );
}

/**
 * Thrown inside transaction work to abort it with a specific {@link DbError};
 * the transaction helper unwraps it instead of reporting TRANSACTION_FAILED.
 */
export class DbErrorException extends Error {
  constructor(readonly error: DbError) {
    super(error.message);
    this.name = "DbErrorException";
  }
}
