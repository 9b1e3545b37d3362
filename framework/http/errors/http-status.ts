import type { ApiErrorCode } from "./api-error";

/**
 * The HTTP status of each error code. Bad input is 400, missing things 404, conflicts 409,
 * refusals of who or where 403, contention and unreadiness 503 (the client may retry), and anything the server got wrong 500.
 */
export const HTTP_STATUS_BY_CODE: Readonly<Record<ApiErrorCode, number>> = {
  DATABASE_NOT_FOUND: 404,
  DATABASE_UNAVAILABLE: 503,
  TABLE_NOT_FOUND: 404,
  COLUMN_NOT_FOUND: 400,
  INVALID_FILTER: 400,
  VALIDATION_FAILED: 400,
  RECORD_NOT_FOUND: 404,
  CONSTRAINT_VIOLATION: 409,
  DATABASE_LOCKED: 503,
  TRANSACTION_FAILED: 500,
  QUERY_FAILED: 500,
  DISK_FULL: 507,
  IO_ERROR: 503,
  DATABASE_CORRUPT: 503,
  DATABASE_EMPTIED: 503,
  RESULT_TOO_LARGE: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  HOST_NOT_ALLOWED: 403,
  TABLE_READ_ONLY: 403,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  ROUTE_NOT_FOUND: 404,
  NOT_READY: 503,
  NOT_IMPLEMENTED: 501,
  INTERNAL_ERROR: 500,
  INVALID_MESSAGE: 400,
  MIGRATION_LOAD_FAILED: 500,
  MIGRATION_FAILED: 500,
  REVERT_FAILED: 500,
  MIGRATION_NOT_FOUND: 404,
  MIGRATION_MISSING: 409,
  NOTHING_TO_REVERT: 409,
  PENDING_MIGRATIONS: 409,
  GENERATE_FAILED: 500,
};

/** The HTTP status for an error code. */
export function httpStatusOf(code: ApiErrorCode): number {
  return HTTP_STATUS_BY_CODE[code];
}
