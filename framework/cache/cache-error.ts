/**
 * Every error code the cache can return. Callers branch on them (e.g. serve without the cache on
 * CACHE_UNAVAILABLE), so they never change meaning.
 */
export const CACHE_ERROR_CODES = [
  /** The backend could not be reached or answered too late; the call changed nothing it acknowledged. */
  "CACHE_UNAVAILABLE",
  /** The key or prefix is empty, too long, or holds whitespace/control characters. */
  "CACHE_INVALID_KEY",
  /** The TTL or increment step is not a positive (resp. safe) integer. */
  "CACHE_INVALID_ARGUMENT",
  /** The value cannot be written as JSON (undefined, BigInt, cycles) or a stored value cannot be read back. */
  "CACHE_SERIALIZATION_FAILED",
  /** `increment` met a stored value that is not an integer. */
  "CACHE_NOT_AN_INTEGER",
  /** The producer given to `getOrSet` threw or rejected. */
  "CACHE_PRODUCER_FAILED",
  /** A value call met a hash entry, or a hash call a value entry (Redis' WRONGTYPE; the same on the embedded store). */
  "CACHE_WRONG_TYPE",
] as const;

/** A typed error code of the cache. */
export type CacheErrorCode = (typeof CACHE_ERROR_CODES)[number];

/** The error half of every cache Result. */
export interface CacheError {
  readonly code: CacheErrorCode;
  readonly message: string;
  /** The key (or prefix) the call was about, when there is one. */
  readonly key?: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

/** Builds a {@link CacheError}; absent optional fields are left out so errors serialise cleanly. */
export function cacheError(code: CacheErrorCode, message: string, key?: string, details?: Record<string, unknown>): CacheError {
  const error: { code: CacheErrorCode; message: string; key?: string; details?: Record<string, unknown> } = { code, message };
  if (key !== undefined) error.key = key;
  if (details !== undefined) error.details = details;
  return error;
}

/** True when `value` has the shape of a {@link CacheError}. */
export function isCacheError(value: unknown): value is CacheError {
  return (
    typeof value === "object" &&
    value !== null &&
    (CACHE_ERROR_CODES as readonly string[]).includes(String((value as { code?: unknown }).code)) &&
    typeof (value as { message?: unknown }).message === "string"
  );
}

/** The message of anything thrown, for error details. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
