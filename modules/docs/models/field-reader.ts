import { err, ok, type Result } from "neverthrow";
import { dbError, type DbError } from "../../../framework/errors/db-error";

/** The model version these validators produce; inputs must share its major version. */
export const MODEL_VERSION = "1.0.0";

const SUPPORTED_MAJOR = MODEL_VERSION.split(".")[0];
const VERSION_PATTERN = /^(\d+)\.(\d+)\.(\d+)$/;

/** VALIDATION_FAILED naming the field (with its path inside nested models). */
export function modelError(field: string, message: string): DbError {
  return dbError("VALIDATION_FAILED", `${field}: ${message}`, undefined, { field });
}

/**
 * Reads typed fields out of untrusted input, one Result per field, prefixing every error with
 * the field's path (`chunks[2].chunk_index`) so the caller learns exactly what was wrong.
 */
export class FieldReader {
  private readonly input: Record<string, unknown>;

  private constructor(
    input: Record<string, unknown>,
    private readonly path: string,
  ) {
    this.input = input;
  }

  /** A reader over `input`, or an error when it is not a plain object. */
  static of(input: unknown, path = ""): Result<FieldReader, DbError> {
    if (typeof input !== "object" || input === null || Array.isArray(input)) return err(modelError(path || "(input)", "must be an object."));
    return ok(new FieldReader(input as Record<string, unknown>, path));
  }

  /** The full path of a field of this object. */
  fieldPath(field: string): string {
    return this.path === "" ? field : `${this.path}.${field}`;
  }

  /** The raw value of a field. */
  raw(field: string): unknown {
    return this.input[field];
  }

  /** A required non-empty string. */
  text(field: string): Result<string, DbError> {
    const value = this.input[field];
    return typeof value === "string" && value.trim() !== "" ? ok(value) : err(modelError(this.fieldPath(field), "is required and must be a non-empty string."));
  }

  /** A required string that may be empty (document content). */
  string(field: string): Result<string, DbError> {
    const value = this.input[field];
    return typeof value === "string" ? ok(value) : err(modelError(this.fieldPath(field), "is required and must be a string."));
  }

  /** A required integer, at least `min`. */
  integer(field: string, min = 0): Result<number, DbError> {
    const value = this.input[field];
    if (typeof value !== "number" || !Number.isInteger(value)) return err(modelError(this.fieldPath(field), "is required and must be an integer."));
    return value >= min ? ok(value) : err(modelError(this.fieldPath(field), `must be at least ${min}.`));
  }

  /** A required number within [min, max]. */
  numberInRange(field: string, min: number, max: number): Result<number, DbError> {
    const value = this.input[field];
    if (typeof value !== "number" || !Number.isFinite(value)) return err(modelError(this.fieldPath(field), "is required and must be a number."));
    return value >= min && value <= max ? ok(value) : err(modelError(this.fieldPath(field), `must be between ${min} and ${max}.`));
  }

  /** A date (Date or ISO-8601 text); `now` when absent, as the seed's `default_factory` does. */
  dateOrNow(field: string): Result<Date, DbError> {
    const value = this.input[field];
    return value === undefined ? ok(new Date()) : this.toDate(field, value);
  }

  /** An optional date: absent or null give null. */
  optionalDate(field: string): Result<Date | null, DbError> {
    const value = this.input[field];
    return value === undefined || value === null ? ok(null) : this.toDate(field, value);
  }

  /** `model_version`: defaults to {@link MODEL_VERSION}; another major version is refused. */
  modelVersion(): Result<string, DbError> {
    const value = this.input.model_version;
    if (value === undefined) return ok(MODEL_VERSION);
    const match = typeof value === "string" ? VERSION_PATTERN.exec(value) : null;
    if (match === null) return err(modelError(this.fieldPath("model_version"), "must be a semantic version such as 1.0.0."));
    if (match[1] !== SUPPORTED_MAJOR) return err(modelError(this.fieldPath("model_version"), `version ${String(value)} is not supported (expected ${SUPPORTED_MAJOR}.x.y).`));
    return ok(value as string);
  }

  private toDate(field: string, value: unknown): Result<Date, DbError> {
    const date = value instanceof Date ? value : typeof value === "string" ? new Date(value) : undefined;
    return date !== undefined && !Number.isNaN(date.getTime()) ? ok(date) : err(modelError(this.fieldPath(field), "must be a valid date or ISO-8601 string."));
  }
}
