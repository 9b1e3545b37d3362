import type { MigrationError } from "../../migrations/migration-error";
import { apiError, type ApiError } from "./api-error";

/** A migration error as the API reports it: database, migration and statement move into `details`. */
export function fromMigrationError(error: MigrationError): ApiError {
  const details: Record<string, unknown> = { ...(error.details ?? {}) };
  if (error.database !== undefined) details.database = error.database;
  if (error.migration !== undefined) details.migration = error.migration;
  if (error.statement !== undefined) details.statement = error.statement;
  return apiError(error.code, error.message, "core.migrations", details);
}
