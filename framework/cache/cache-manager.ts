import { errAsync, okAsync, ResultAsync, type Result } from "neverthrow";
import { validateKey, validateStep, validateTtl } from "./cache-arguments";
import type { CacheBackend, CacheBackendKind } from "./cache-backend";
import { decodeValue, encodeValue } from "./cache-codec";
import { cacheError, errorMessage, type CacheError } from "./cache-error";
import { SingleFlight } from "./single-flight";

/** Default size above which values are stored gzip-compressed, in bytes of JSON text. */
export const DEFAULT_COMPRESSION_THRESHOLD = 1024;

/** Options of a {@link CacheManager}. */
export interface CacheManagerOptions {
  /** Values whose JSON text is larger than this many bytes are stored gzip-compressed. */
  readonly compressionThresholdBytes?: number;
}

/** Options of {@link CacheManager.set}. */
export interface SetOptions {
  /** Gzip the value whatever its size (default: only above the compression threshold). */
  readonly compress?: boolean;
}

function fromResult<T>(result: Result<T, CacheError>): ResultAsync<T, CacheError> {
  return result.isOk() ? okAsync(result.value) : errAsync(result.error);
}

/**
 * The framework cache, resolved from the container (`container.resolve(CacheManager)`). Values are
 * JSON; larger ones are gzip-compressed transparently. The store is the embedded `cache_entries`
 * table of the framework database, or Redis when `REDIS_URL` is set; both behave the same.
 * Every method returns a Result and never throws; invalid keys and arguments change nothing.
 */
export class CacheManager {
  private readonly compressionThreshold: number;
  private readonly flights = new SingleFlight<Result<unknown, CacheError>>();

  constructor(
    private readonly backend: CacheBackend,
    options: CacheManagerOptions = {},
  ) {
    this.compressionThreshold = options.compressionThresholdBytes ?? DEFAULT_COMPRESSION_THRESHOLD;
  }

  /** Which store is in use. */
  get backendKind(): CacheBackendKind {
    return this.backend.kind;
  }

  /** The value stored under `key`, or undefined when there is none (or it expired). */
  get<T = unknown>(key: string): ResultAsync<T | undefined, CacheError> {
    return fromResult(validateKey(key)).andThen((valid) =>
      this.backend.get(valid).andThen((payload) => (payload === undefined ? okAsync<T | undefined, CacheError>(undefined) : decodeValue<T>(payload, valid))),
    );
  }

  /**
   * Stores `value` (anything JSON can represent) under `key` for `ttlSeconds`. With
   * `{ compress: true }` the value is gzip-compressed whatever its size (a key pattern that is
   * always stored compressed); otherwise only above the compression threshold.
   */
  set(key: string, value: unknown, ttlSeconds: number, options: SetOptions = {}): ResultAsync<void, CacheError> {
    const threshold = options.compress === true ? -1 : this.compressionThreshold;
    return fromResult(validateKey(key))
      .andThen((valid) => fromResult(validateTtl(ttlSeconds, valid)).map((ttl) => ({ valid, ttl })))
      .andThen(({ valid, ttl }) => encodeValue(value, valid, threshold).andThen((payload) => this.backend.set(valid, payload, ttl)));
  }

  /**
   * Sets fields of the hash under `key` (Redis `HSET`; the embedded store keeps an equivalent) and
   * gives the hash `ttlSeconds` to live from now, in one atomic step. Fields not named stay.
   */
  hashSet(key: string, fields: Readonly<Record<string, string>>, ttlSeconds: number): ResultAsync<void, CacheError> {
    const names = typeof fields === "object" && fields !== null ? Object.entries(fields) : [];
    if (names.length === 0 || !names.every(([, value]) => typeof value === "string")) {
      return errAsync(cacheError("CACHE_INVALID_ARGUMENT", `hashSet('${key}') needs at least one field, every value a string.`, key));
    }
    return fromResult(validateKey(key))
      .andThen((valid) => fromResult(validateTtl(ttlSeconds, valid)).map((ttl) => ({ valid, ttl })))
      .andThen(({ valid, ttl }) => this.backend.hashSet(valid, fields, ttl));
  }

  /** Every field of the live hash under `key`, or undefined when there is none (or it expired). */
  hashGetAll(key: string): ResultAsync<Record<string, string> | undefined, CacheError> {
    return fromResult(validateKey(key)).andThen((valid) => this.backend.hashGetAll(valid));
  }

  /** Removes `key`; true when a live entry was removed. */
  delete(key: string): ResultAsync<boolean, CacheError> {
    return fromResult(validateKey(key)).andThen((valid) => this.backend.delete(valid));
  }

  /**
   * Adds `by` (default 1) to the integer under `key` atomically and returns the new value; a missing
   * entry counts as 0. With `ttlSeconds`, an entry that has no expiry gets one and an entry that has
   * one keeps it, so `increment(rateLimitKey, 1, 60)` counts hits in a fixed 60-second window.
   */
  increment(key: string, by = 1, ttlSeconds?: number): ResultAsync<number, CacheError> {
    return fromResult(validateKey(key))
      .andThen((valid) => fromResult(validateStep(by, valid)).map((step) => ({ valid, step })))
      .andThen(({ valid, step }) =>
        ttlSeconds === undefined ? okAsync({ valid, step, ttl: undefined as number | undefined }) : fromResult(validateTtl(ttlSeconds, valid)).map((ttl) => ({ valid, step, ttl: ttl as number | undefined })),
      )
      .andThen(({ valid, step, ttl }) => this.backend.increment(valid, step, ttl));
  }

  /**
   * The cached value of `key`, or else the producer's value, stored for `ttlSeconds` and returned.
   * Concurrent callers for the same key in this process share one producer call. When the store is
   * unavailable the producer's value is still returned (the cache is an optimisation, not a source
   * of truth); a producer failure is CACHE_PRODUCER_FAILED.
   */
  getOrSet<T>(key: string, ttlSeconds: number, producer: () => Promise<T> | T): ResultAsync<T, CacheError> {
    const checked = validateKey(key).andThen((valid) => validateTtl(ttlSeconds, valid).map((ttl) => ({ valid, ttl })));
    if (checked.isErr()) return errAsync(checked.error);
    const { valid, ttl } = checked.value;
    const flight = this.flights.run(valid, async (): Promise<Result<unknown, CacheError>> => {
      const cached = await this.get<T>(valid);
      if (cached.isOk() && cached.value !== undefined) return cached;
      const produced = await ResultAsync.fromPromise(Promise.resolve().then(producer), (error) =>
        cacheError("CACHE_PRODUCER_FAILED", `Producer for '${valid}' failed: ${errorMessage(error)}`, valid),
      );
      if (produced.isErr()) return produced;
      const stored = await this.set(valid, produced.value, ttl);
      // A value that cannot be serialised is the caller's bug and is reported; an unreachable store is not.
      if (stored.isErr() && stored.error.code !== "CACHE_UNAVAILABLE") return stored;
      return produced;
    });
    return new ResultAsync(flight as Promise<Result<T, CacheError>>);
  }

  /** Removes every entry whose key starts with `prefix`; returns how many were removed. */
  deleteByPrefix(prefix: string): ResultAsync<number, CacheError> {
    return fromResult(validateKey(prefix, "prefix")).andThen((valid) => this.backend.deleteByPrefix(valid));
  }

  /** Deletes expired entries still on disk (embedded backend; Redis expires keys itself and returns 0). */
  removeExpired(): ResultAsync<number, CacheError> {
    return this.backend.removeExpired();
  }

  /** Releases the store's connection; called by `Framework.shutdown`. */
  close(): Promise<void> {
    return this.backend.close();
  }
}
