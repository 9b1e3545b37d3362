import type { ResultAsync } from "neverthrow";
import type { CacheError } from "./cache-error";

/** Which store a {@link CacheBackend} uses. */
export type CacheBackendKind = "embedded" | "redis";

/**
 * What the {@link CacheManager} needs from a store. Payloads are the encoded bytes (JSON text or
 * gzip); keys and arguments are already validated. Every method settles within the backend's bound.
 */
export interface CacheBackend {
  readonly kind: CacheBackendKind;
  /** The payload of a live (unexpired) entry, or undefined. */
  get(key: string): ResultAsync<Buffer | undefined, CacheError>;
  /** Stores a payload that expires after `ttlSeconds`, replacing any entry and its expiry. */
  set(key: string, payload: Buffer, ttlSeconds: number): ResultAsync<void, CacheError>;
  /** Removes an entry; true when a live one existed. */
  delete(key: string): ResultAsync<boolean, CacheError>;
  /**
   * Adds `by` to an integer entry atomically and returns the new value. A missing or expired entry
   * counts as 0; when `ttlSeconds` is given, an entry without expiry gets one, and an entry that has one keeps it (a fixed window).
   */
  increment(key: string, by: number, ttlSeconds: number | undefined): ResultAsync<number, CacheError>;
  /**
   * Sets `fields` of the hash under `key` (other fields stay) and gives the whole hash `ttlSeconds`
   * to live, atomically (Redis: HSET + EXPIRE in one script). CACHE_WRONG_TYPE when `key` holds a value.
   */
  hashSet(key: string, fields: Readonly<Record<string, string>>, ttlSeconds: number): ResultAsync<void, CacheError>;
  /** Every field of a live hash, or undefined; CACHE_WRONG_TYPE when `key` holds a value. */
  hashGetAll(key: string): ResultAsync<Record<string, string> | undefined, CacheError>;
  /** Removes every entry whose key starts with `prefix`; returns how many were removed. */
  deleteByPrefix(prefix: string): ResultAsync<number, CacheError>;
  /** Removes expired entries that still take space; returns how many. Redis expires keys itself and returns 0. */
  removeExpired(): ResultAsync<number, CacheError>;
  /** Releases connections; later calls fail with CACHE_UNAVAILABLE. */
  close(): Promise<void>;
}
