import { ResultAsync, errAsync } from "neverthrow";
import { RESP_TYPES } from "redis";
import type { CacheBackend } from "../cache-backend";
import { cacheError, errorMessage, type CacheError } from "../cache-error";
import { closeRedisClient, createBoundedRedisClient, startConnecting, type RedisClient } from "./redis-client";

// One round trip, atomic on the server: INCRBY, then give the key a TTL only if it has none (NX),
// so a fixed-window counter such as rate_limit:api:{ip} is not extended by every hit.
const INCREMENT_SCRIPT = `local value = redis.call('INCRBY', KEYS[1], ARGV[1])
if ARGV[2] ~= '' then redis.call('EXPIRE', KEYS[1], ARGV[2], 'NX') end
return value`;

// HSET then EXPIRE in one atomic round trip: the hash never exists without its TTL.
const HASH_SET_SCRIPT = `redis.call('HSET', KEYS[1], unpack(ARGV, 2))
redis.call('EXPIRE', KEYS[1], ARGV[1])
return 1`;

// SCAN patterns are globs; these characters in a prefix must match themselves.
function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, (character) => `\\${character}`);
}

/** Options of {@link RedisCacheBackend}. */
export interface RedisCacheOptions {
  readonly url: string;
  /** Milliseconds any call may take before it returns CACHE_UNAVAILABLE. */
  readonly timeoutMs: number;
}

/**
 * The cache on a real Redis server (`REDIS_URL`). Calls are bounded: while the server is away they
 * return CACHE_UNAVAILABLE within `timeoutMs` (immediately once the client knows it is offline), and
 * they work again as soon as the client has reconnected.
 */
export class RedisCacheBackend implements CacheBackend {
  readonly kind = "redis" as const;
  private readonly client: RedisClient;
  private lastConnectionError: string | undefined;

  private constructor(private readonly options: RedisCacheOptions) {
    this.client = createBoundedRedisClient(options.url, { timeoutMs: options.timeoutMs }, (error) => {
      this.lastConnectionError = errorMessage(error);
    });
  }

  /**
   * Creates the backend and waits (at most `timeoutMs`) for the first connection. An unreachable
   * server does not fail this: the backend answers CACHE_UNAVAILABLE until the server appears.
   */
  static async connect(options: RedisCacheOptions): Promise<RedisCacheBackend> {
    const backend = new RedisCacheBackend(options);
    await startConnecting(backend.client, options.timeoutMs);
    return backend;
  }

  /** Whether the client is connected now, and the last connection error it reported. */
  status(): { ready: boolean; lastError?: string } {
    return this.lastConnectionError === undefined ? { ready: this.client.isReady } : { ready: this.client.isReady, lastError: this.lastConnectionError };
  }

  private command<T>(key: string | undefined, args: readonly string[] | readonly (string | Buffer)[], binary = false): ResultAsync<T, CacheError> {
    if (!this.client.isOpen) return errAsync(cacheError("CACHE_UNAVAILABLE", "The Redis cache client is closed.", key));
    const options = binary ? { typeMapping: { [RESP_TYPES.BLOB_STRING]: Buffer } } : undefined;
    let timer: NodeJS.Timeout | undefined;
    // The client bounds each command itself; this deadline is a second fence for anything that
    // would otherwise wait (e.g. a reconnect handshake in progress).
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${this.options.timeoutMs} ms`)), this.options.timeoutMs + 50);
    });
    const sent = this.client.sendCommand<T>([...args], options);
    sent.catch(() => undefined);
    return ResultAsync.fromPromise(
      Promise.race([sent, deadline]).finally(() => clearTimeout(timer)),
      (error) => {
        const message = errorMessage(error);
        if (/WRONGTYPE/.test(message)) return cacheError("CACHE_WRONG_TYPE", `Cache entry '${key ?? ""}' holds another type (a hash or a value); use the matching calls for it.`, key);
        if (/not an integer|out of range/i.test(message)) return cacheError("CACHE_NOT_AN_INTEGER", `Cache entry '${key ?? ""}' does not hold an integer; it cannot be incremented.`, key);
        return cacheError("CACHE_UNAVAILABLE", `Redis cache unavailable: ${message}`, key, this.lastConnectionError === undefined ? undefined : { connection_error: this.lastConnectionError });
      },
    );
  }

  get(key: string): ResultAsync<Buffer | undefined, CacheError> {
    return this.command<Buffer | null>(key, ["GET", key], true).map((value) => value ?? undefined);
  }

  set(key: string, payload: Buffer, ttlSeconds: number): ResultAsync<void, CacheError> {
    return this.command<unknown>(key, ["SET", key, payload, "EX", String(ttlSeconds)]).map(() => undefined);
  }

  hashSet(key: string, fields: Readonly<Record<string, string>>, ttlSeconds: number): ResultAsync<void, CacheError> {
    const pairs = Object.entries(fields).flat();
    return this.command<unknown>(key, ["EVAL", HASH_SET_SCRIPT, "1", key, String(ttlSeconds), ...pairs]).map(() => undefined);
  }

  hashGetAll(key: string): ResultAsync<Record<string, string> | undefined, CacheError> {
    return this.command<unknown>(key, ["HGETALL", key]).map((reply) => {
      // RESP2 answers a flat [field, value, ...] list, RESP3 a map; an absent key is empty either way.
      const entries: [string, string][] = Array.isArray(reply)
        ? Array.from({ length: reply.length / 2 }, (_, index) => [String(reply[index * 2]), String(reply[index * 2 + 1])])
        : reply instanceof Map
          ? [...(reply as Map<unknown, unknown>).entries()].map(([field, value]) => [String(field), String(value)])
          : Object.entries((reply ?? {}) as Record<string, unknown>).map(([field, value]) => [field, String(value)]);
      return entries.length === 0 ? undefined : Object.fromEntries(entries);
    });
  }

  delete(key: string): ResultAsync<boolean, CacheError> {
    return this.command<number>(key, ["DEL", key]).map((removed) => Number(removed) > 0);
  }

  increment(key: string, by: number, ttlSeconds: number | undefined): ResultAsync<number, CacheError> {
    return this.command<number>(key, ["EVAL", INCREMENT_SCRIPT, "1", key, String(by), ttlSeconds === undefined ? "" : String(ttlSeconds)]).map(Number);
  }

  deleteByPrefix(prefix: string): ResultAsync<number, CacheError> {
    const pattern = `${escapeGlob(prefix)}*`;
    const sweep = async (): Promise<number> => {
      let cursor = "0";
      let removed = 0;
      do {
        const page = await this.command<[string, string[]]>(prefix, ["SCAN", cursor, "MATCH", pattern, "COUNT", "500"]);
        if (page.isErr()) throw page.error;
        const [next, keys] = page.value;
        cursor = String(next);
        if (keys.length > 0) {
          const unlinked = await this.command<number>(prefix, ["UNLINK", ...keys]);
          if (unlinked.isErr()) throw unlinked.error;
          removed += Number(unlinked.value);
        }
      } while (cursor !== "0");
      return removed;
    };
    return ResultAsync.fromPromise(sweep(), (error) => error as CacheError);
  }

  removeExpired(): ResultAsync<number, CacheError> {
    return ResultAsync.fromSafePromise(Promise.resolve(0));
  }

  close(): Promise<void> {
    return closeRedisClient(this.client, this.options.timeoutMs);
  }
}
