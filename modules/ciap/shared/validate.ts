import { err, ok, type Result } from "neverthrow";
import { dbError, type DbError } from "../../../framework";
import { DATABASE_NAME } from "../db-models";

/**
 * Input checks shared by the ciap services. Each returns the value in its stored shape or a
 * VALIDATION_FAILED error naming the offending field, so a bad call is refused before any SQL runs.
 */

/** The VALIDATION_FAILED error for one field. */
export function invalid(field: string, message: string, value?: unknown): DbError {
  return dbError("VALIDATION_FAILED", `${field} ${message}`, DATABASE_NAME, value === undefined ? { field } : { field, value });
}

/** A non-empty string of at most `maxLength` characters. */
export function requireText(field: string, value: unknown, maxLength: number): Result<string, DbError> {
  if (typeof value !== "string" || value.trim().length === 0) return err(invalid(field, "must be a non-empty string.", value));
  if (value.length > maxLength) return err(invalid(field, `must be at most ${maxLength} characters (got ${value.length}).`));
  return ok(value);
}

/** Any string, empty included. */
export function requireString(field: string, value: unknown): Result<string, DbError> {
  return typeof value === "string" ? ok(value) : err(invalid(field, "must be a string.", value));
}

/** Like {@link requireText}, but `undefined` and `null` become `null`. */
export function optionalText(field: string, value: unknown, maxLength: number): Result<string | null, DbError> {
  if (value === undefined || value === null) return ok(null);
  if (typeof value !== "string") return err(invalid(field, "must be a string or null.", value));
  if (value.length > maxLength) return err(invalid(field, `must be at most ${maxLength} characters (got ${value.length}).`));
  return ok(value);
}

/** An integer within `[min, max]`. */
export function requireInteger(field: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): Result<number, DbError> {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    return err(invalid(field, `must be an integer from ${min} to ${max}.`, value));
  }
  return ok(value);
}

/** A row id: a positive integer. */
export function requireId(field: string, value: unknown): Result<number, DbError> {
  return requireInteger(field, value, 1);
}

/** A finite number greater than zero. */
export function requirePositiveNumber(field: string, value: unknown): Result<number, DbError> {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) return err(invalid(field, "must be a finite number greater than 0.", value));
  return ok(value);
}

/** A finite number, or `null`. */
export function optionalNumber(field: string, value: unknown): Result<number | null, DbError> {
  if (value === undefined || value === null) return ok(null);
  if (typeof value !== "number" || !Number.isFinite(value)) return err(invalid(field, "must be a finite number or null.", value));
  return ok(value);
}

/** An array of strings (copied), or `null`. */
export function optionalStringArray(field: string, value: unknown): Result<string[] | null, DbError> {
  if (value === undefined || value === null) return ok(null);
  if (!Array.isArray(value) || !value.every((item) => typeof item === "string")) return err(invalid(field, "must be an array of strings or null.", value));
  return ok([...(value as string[])]);
}

/** One of the `allowed` literals. */
export function requireOneOf<T extends string>(field: string, value: unknown, allowed: readonly T[]): Result<T, DbError> {
  if (typeof value === "string" && (allowed as readonly string[]).includes(value)) return ok(value as T);
  return err(invalid(field, `must be one of ${allowed.join(", ")}.`, value));
}

/** A plain JSON object (what `simple-json` columns store), or `null`. */
export function optionalJsonObject(field: string, value: unknown): Result<Record<string, unknown> | null, DbError> {
  if (value === undefined || value === null) return ok(null);
  if (typeof value !== "object" || Array.isArray(value)) return err(invalid(field, "must be a JSON object or null.", value));
  try {
    // Round-trip now so a cycle or a BigInt is refused here, not halfway through a write.
    return ok(JSON.parse(JSON.stringify(value)) as Record<string, unknown>);
  } catch (error) {
    return err(invalid(field, `is not JSON-serialisable: ${error instanceof Error ? error.message : String(error)}.`));
  }
}

/** A valid Date, or `null` for `undefined`/`null`. */
export function optionalInstant(field: string, value: unknown): Result<Date | null, DbError> {
  if (value === undefined || value === null) return ok(null);
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) return err(invalid(field, "must be a valid Date or null.", String(value)));
  return ok(value);
}
