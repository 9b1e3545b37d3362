import { errAsync, type Result, type ResultAsync } from "neverthrow";
import { inject, injectable } from "tsyringe";
import { CacheManager, type CacheError, type CacheKeySpec } from "../../../framework";
import { sessionKey } from "./docs-cache-keys";

function lift<T>(result: Result<T, CacheError>, then: (value: T) => ResultAsync<unknown, CacheError>): ResultAsync<unknown, CacheError> {
  return result.isErr() ? errAsync(result.error) : then(result.value);
}

/**
 * The docs module's use of the framework cache, stored the way seed 004's key patterns say: values
 * of compressed patterns gzip-compressed whatever their size, sessions as hashes with their TTL.
 */
@injectable()
export class DocsCache {
  constructor(@inject(CacheManager) private readonly cache: CacheManager) {}

  /** Stores a value under a key built from one of the docs patterns, with its TTL and compression. */
  put(spec: Result<CacheKeySpec, CacheError>, value: unknown): ResultAsync<void, CacheError> {
    return lift(spec, (key) => this.cache.set(key.key, value, key.ttlSeconds, { compress: key.compress })).map(() => undefined);
  }

  /** The value under a key built from one of the docs patterns, or undefined. */
  read<T>(spec: Result<CacheKeySpec, CacheError>): ResultAsync<T | undefined, CacheError> {
    return lift(spec, (key) => this.cache.get<T>(key.key)) as ResultAsync<T | undefined, CacheError>;
  }

  /** Sets fields of session `sessionId` (`HSET session:{id}`), renewing its 1800-second TTL. */
  saveSession(sessionId: string, fields: Readonly<Record<string, string>>): ResultAsync<void, CacheError> {
    return lift(sessionKey(sessionId), (key) => this.cache.hashSet(key.key, fields, key.ttlSeconds)).map(() => undefined);
  }

  /** Every field of session `sessionId`, or undefined when it expired or never existed. */
  session(sessionId: string): ResultAsync<Record<string, string> | undefined, CacheError> {
    return lift(sessionKey(sessionId), (key) => this.cache.hashGetAll(key.key)) as ResultAsync<Record<string, string> | undefined, CacheError>;
  }
}
