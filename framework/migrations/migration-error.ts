/** Why a migration operation did not happen (or stopped). */
export type MigrationErrorCode =
  | "DATABASE_NOT_FOUND"
  | "DATABASE_UNAVAILABLE"
  | "INVALID_MESSAGE"
  | "MIGRATION_LOAD_FAILED"
  | "MIGRATION_FAILED"
  | "REVERT_FAILED"
  | "MIGRATION_NOT_FOUND"
  | "MIGRATION_MISSING"
  | "NOTHING_TO_REVERT"
  | "PENDING_MIGRATIONS"
  | "GENERATE_FAILED";

/** The error half of every migration Result: which database, which migration and statement, and why. */
export interface MigrationError {
  readonly code: MigrationErrorCode;
  readonly message: string;
  readonly database?: string;
  /** The migration that failed or was asked for. */
  readonly migration?: string;
  /** The SQL statement that failed, when a statement failed. */
  readonly statement?: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

/** Builds a {@link MigrationError}, leaving out absent fields so it serialises cleanly. */
export function migrationError(
  code: MigrationErrorCode,
  message: string,
  extra: { database?: string; migration?: string; statement?: string; details?: Record<string, unknown> } = {},
): MigrationError {
  const error: { -readonly [K in keyof MigrationError]: MigrationError[K] } = { code, message };
  if (extra.database !== undefined) error.database = extra.database;
  if (extra.migration !== undefined) error.migration = extra.migration;
  if (extra.statement !== undefined) error.statement = extra.statement;
  if (extra.details !== undefined) error.details = extra.details;
  return error;
}

/** The message of anything thrown, preferring the SQLite driver's own wording. */
export function errorMessage(error: unknown): string {
  const driverMessage = (error as { driverError?: { message?: unknown } } | undefined)?.driverError?.message;
  if (typeof driverMessage === "string") return driverMessage;
  return error instanceof Error ? error.message : String(error);
}
