import type { ResultAsync } from "neverthrow";
import { Counter, type Registry } from "prom-client";
import type { CacheBackend, CacheBackendKind } from "../cache/cache-backend";
import type { CacheError } from "../cache/cache-error";

/** Cache hits, misses and errors by backend (`embedded`, `redis`). */
export class CacheMetrics {
  readonly hits: Counter<"backend">;
  readonly misses: Counter<"backend">;
  readonly errors: Counter<"backend" | "operation">;

  constructor(registry: Registry) {
    const registers = [registry];
    this.hits = new Counter({ name: "moduledb_cache_hits_total", help: "Cache reads that found a live entry.", labelNames: ["backend"], registers });
    this.misses = new Counter({ name: "moduledb_cache_misses_total", help: "Cache reads that found nothing (absent or expired).", labelNames: ["backend"], registers });
    this.errors = new Counter({ name: "moduledb_cache_errors_total", help: "Cache operations the store failed (CACHE_UNAVAILABLE and the like), by operation.", labelNames: ["backend", "operation"], registers });
  }

  /** Starts the series of `backend` at zero. */
  declare(backend: CacheBackendKind): void {
    this.hits.inc({ backend }, 0);
    this.misses.inc({ backend }, 0);
  }
}

type Operation = "get" | "set" | "delete" | "increment" | "hashSet" | "hashGetAll" | "deleteByPrefix" | "removeExpired";

/**
 * The same backend, counted: every read is a hit or a miss, every failed call an error. Wrapping
 * the backend (rather than the CacheManager) counts what the store answered, below the manager's
 * validation, so an invalid key is the caller's error and not the store's.
 */
export function observeCacheBackend(backend: CacheBackend, metrics: CacheMetrics): CacheBackend {
  const kind = backend.kind;
  metrics.declare(kind);
  const counted = <T>(operation: Operation, result: ResultAsync<T, CacheError>): ResultAsync<T, CacheError> =>
    result.mapErr((error) => {
      metrics.errors.inc({ backend: kind, operation });
      return error;
    });
  return {
    kind,
    get: (key) =>
      counted("get", backend.get(key)).map((payload) => {
        (payload === undefined ? metrics.misses : metrics.hits).inc({ backend: kind });
        return payload;
      }),
    set: (key, payload, ttl) => counted("set", backend.set(key, payload, ttl)),
    delete: (key) => counted("delete", backend.delete(key)),
    increment: (key, by, ttl) => counted("increment", backend.increment(key, by, ttl)),
    hashSet: (key, fields, ttl) => counted("hashSet", backend.hashSet(key, fields, ttl)),
    hashGetAll: (key) =>
      counted("hashGetAll", backend.hashGetAll(key)).map((fields) => {
        (fields === undefined ? metrics.misses : metrics.hits).inc({ backend: kind });
        return fields;
      }),
    deleteByPrefix: (prefix) => counted("deleteByPrefix", backend.deleteByPrefix(prefix)),
    removeExpired: () => counted("removeExpired", backend.removeExpired()),
    close: () => backend.close(),
  };
}
