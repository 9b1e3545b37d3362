import { err, ok, type Result } from "neverthrow";
import { cacheError, type CacheError } from "./cache-error";

/** Longest key the cache accepts, in characters; long enough for hashed keys with readable prefixes. */
export const MAX_KEY_LENGTH = 512;

// Whitespace and control characters make keys ambiguous in logs and in Redis' SCAN patterns.
const FORBIDDEN_KEY_CHARACTERS = /[\s\p{Cc}]/u;

/** Accepts a key of 1..512 characters without whitespace or control characters. */
export function validateKey(key: unknown, what: "key" | "prefix" = "key"): Result<string, CacheError> {
  if (typeof key !== "string" || key.length === 0) {
    return err(cacheError("CACHE_INVALID_KEY", `Cache ${what} must be a non-empty string.`, typeof key === "string" ? key : undefined));
  }
  if (key.length > MAX_KEY_LENGTH) {
    return err(cacheError("CACHE_INVALID_KEY", `Cache ${what} is ${key.length} characters long; at most ${MAX_KEY_LENGTH} are allowed.`, key.slice(0, 64)));
  }
  if (FORBIDDEN_KEY_CHARACTERS.test(key)) {
    return err(cacheError("CACHE_INVALID_KEY", `Cache ${what} '${key}' contains whitespace or control characters.`, key));
  }
  return ok(key);
}

/** Accepts a TTL in whole seconds, at least 1 (a cache entry that never expires must say so by using `increment` without TTL). */
export function validateTtl(ttlSeconds: unknown, key: string): Result<number, CacheError> {
  if (typeof ttlSeconds !== "number" || !Number.isSafeInteger(ttlSeconds) || ttlSeconds < 1) {
    return err(cacheError("CACHE_INVALID_ARGUMENT", `TTL for '${key}' must be a whole number of seconds >= 1, got ${String(ttlSeconds)}.`, key, { ttl_seconds: ttlSeconds }));
  }
  return ok(ttlSeconds);
}

/** Accepts an increment step that is a safe integer (negative steps decrement). */
export function validateStep(by: unknown, key: string): Result<number, CacheError> {
  if (typeof by !== "number" || !Number.isSafeInteger(by)) {
    return err(cacheError("CACHE_INVALID_ARGUMENT", `Increment step for '${key}' must be a safe integer, got ${String(by)}.`, key, { by }));
  }
  return ok(by);
}
