import { err, ok, type Result } from "neverthrow";
import { dbError, type DbError } from "../../../framework/errors/db-error";
import { DATABASE_NAME } from "../db-models";

/** SQLite stores booleans as 0/1; rows read back through raw SQL need them turned back. */
export function toBoolean(value: unknown): boolean {
  return value === 1 || value === true || value === "1";
}

/** JSON text columns back to values; a corrupt value reads as `null` rather than throwing. */
export function parseJson(value: unknown): unknown {
  if (typeof value !== "string") return value ?? null;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return null;
  }
}

/** VALIDATION_FAILED on the docs database, naming the offending field. */
export function invalidField(field: string, message: string): DbError {
  return dbError("VALIDATION_FAILED", `${field}: ${message}`, DATABASE_NAME, { field });
}

/** RECORD_NOT_FOUND on the docs database. */
export function notFound(table: string, key: string, id: string): DbError {
  return dbError("RECORD_NOT_FOUND", `No row in '${table}' with ${key} '${id}'.`, DATABASE_NAME, { table, [key]: id });
}

/** A required, non-empty string field. */
export function requireText(value: unknown, field: string): Result<string, DbError> {
  return typeof value === "string" && value.trim() !== "" ? ok(value) : err(invalidField(field, "must be a non-empty string."));
}

/** An optional string field: absent or null become null. */
export function optionalText(value: unknown, field: string): Result<string | null, DbError> {
  if (value === undefined || value === null) return ok(null);
  return typeof value === "string" ? ok(value) : err(invalidField(field, "must be a string or null."));
}

/** An optional finite number (range checks are the database's CHECK constraints' job). */
export function optionalNumber(value: unknown, field: string): Result<number | null, DbError> {
  if (value === undefined || value === null) return ok(null);
  return typeof value === "number" && Number.isFinite(value) ? ok(value) : err(invalidField(field, "must be a finite number."));
}

/** An optional integer. */
export function optionalInteger(value: unknown, field: string): Result<number | null, DbError> {
  if (value === undefined || value === null) return ok(null);
  return typeof value === "number" && Number.isInteger(value) ? ok(value) : err(invalidField(field, "must be an integer."));
}

/** A positive page size, capped so no caller can read a whole table by accident. */
export function pageLimit(value: number | undefined, fallback = 50, max = 1000): Result<number, DbError> {
  if (value === undefined) return ok(fallback);
  return Number.isInteger(value) && value >= 1 && value <= max ? ok(value) : err(invalidField("limit", `must be an integer between 1 and ${max}.`));
}
