import { errAsync, ResultAsync } from "neverthrow";
import type { QueryResult } from "typeorm/query-runner/QueryResult";
import type { ModuleDatabase } from "../../database/module-database";
import { dialectOf, type SqlDialect } from "../../engines/sql-dialect";
import type { CacheBackend } from "../cache-backend";
import { cacheError, errorMessage, isCacheError, type CacheError } from "../cache-error";
import { decodeHash, encodeHash, isHashPayload } from "./hash-payload";

function wrongType(key: string, holds: "a hash" | "a value"): CacheError {
  return cacheError("CACHE_WRONG_TYPE", `Cache entry '${key}' holds ${holds}; use the ${holds === "a hash" ? "hash" : "value"} calls for it.`, key);
}

interface PayloadRow {
  value: Buffer | string;
}

interface CounterRow {
  value: Buffer | string;
  expires_at: number | string | null;
}

/** Thrown inside the increment transaction to roll it back with a specific cache error. */
class CacheAbort extends Error {
  constructor(readonly error: CacheError) {
    super(error.message);
  }
}

function asBuffer(value: Buffer | string): Buffer {
  return typeof value === "string" ? Buffer.from(value, "utf8") : value;
}

/** Epoch milliseconds as read back: a number, or the text some drivers return for 64-bit integers. */
function asMillis(value: number | string | null): number | null {
  return value === null ? null : Number(value);
}

const UPSERT_COLUMNS = ["key", "value", "expires_at", "updated_at"] as const;

/**
 * The default cache: the `cache_entries` table of the framework database, on whichever engine that
 * database is (a SQLite file, or PostgreSQL shared by several servers). Every statement goes
 * through the database's gate (and its BUSY retries), so it is safe from any number of callers;
 * read-modify-write calls (increment, hash merge) lock the entry first ({@link lockEntry}), so they
 * are safe from several processes too. Expired rows are invisible at once and deleted by
 * {@link removeExpired} (scheduled at boot). SQL is written once with `?` placeholders and turned
 * into the engine's own by its dialect.
 */
export class EmbeddedCacheBackend implements CacheBackend {
  readonly kind = "embedded" as const;
  private closed = false;
  private readonly dialect: SqlDialect;
  private readonly upsert: string;

  constructor(
    private readonly database: ModuleDatabase,
    /** The clock, in epoch milliseconds; tests and benches keep the real one. */
    private readonly now: () => number = Date.now,
  ) {
    this.dialect = dialectOf(database.dataSource);
    this.upsert = this.dialect.upsert("cache_entries", UPSERT_COLUMNS, ["key"], ["value", "expires_at", "updated_at"]);
  }

  /** `sql` with the engine's placeholders. */
  private sql(sql: string): string {
    return this.dialect.positional(sql);
  }

  /**
   * The rows a statement returns (also `DELETE … RETURNING`, which TypeORM's plain `query()` wraps
   * differently per driver), on the current unit of work's connection when there is one.
   */
  private async records<T>(sql: string, parameters: readonly unknown[]): Promise<T[]> {
    const result = (await this.database.dataSource.createQueryRunner().query(this.sql(sql), [...parameters], true)) as QueryResult;
    return Array.isArray(result.records) ? (result.records as T[]) : [];
  }

  /**
   * Inside a write transaction: the entry's row, locked until the transaction ends, or undefined
   * when there is none. A missing entry is locked too, by inserting an empty placeholder row that
   * the caller's upsert overwrites (or its rollback removes): a second process incrementing the same
   * new key waits for this one instead of both starting from zero. SQLite's BEGIN IMMEDIATE already
   * holds the file's write lock; PostgreSQL locks the row (`FOR UPDATE`, the unique index).
   */
  private async lockEntry(key: string): Promise<CounterRow | undefined> {
    const created = await this.records("INSERT INTO cache_entries (key, value, expires_at, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (key) DO NOTHING RETURNING key", [key, Buffer.alloc(0), 0, this.now()]);
    if (created.length > 0) return undefined;
    const rows = await this.records<CounterRow>(`SELECT value, expires_at FROM cache_entries WHERE key = ?${this.dialect.lockRows}`, [key]);
    return rows[0];
  }

  private run<T>(key: string | undefined, work: () => Promise<T>): ResultAsync<T, CacheError> {
    if (this.closed || !this.database.dataSource.isInitialized) return errAsync(cacheError("CACHE_UNAVAILABLE", "The embedded cache is closed.", key));
    return ResultAsync.fromPromise(work(), (error) => {
      if (error instanceof CacheAbort) return error.error;
      if (isCacheError(error)) return error;
      return cacheError("CACHE_UNAVAILABLE", `Embedded cache (database '${this.database.name}') failed: ${errorMessage(error)}`, key);
    });
  }

  get(key: string): ResultAsync<Buffer | undefined, CacheError> {
    return this.run(key, async () => {
      const rows = (await this.database.dataSource.query(this.sql("SELECT value FROM cache_entries WHERE key = ? AND (expires_at IS NULL OR expires_at > ?)"), [key, this.now()])) as PayloadRow[];
      const row = rows[0];
      if (row === undefined) return undefined;
      const payload = asBuffer(row.value);
      if (isHashPayload(payload)) throw new CacheAbort(wrongType(key, "a hash"));
      return payload;
    });
  }

  hashSet(key: string, fields: Readonly<Record<string, string>>, ttlSeconds: number): ResultAsync<void, CacheError> {
    // Merge with the entry locked, as increment does: two writers of one hash never lose a field.
    return this.run(key, () =>
      this.database.dataSource.transaction(async (manager) => {
        const now = this.now();
        const row = await this.lockEntry(key);
        const expiresAt = row === undefined ? null : asMillis(row.expires_at);
        const existing = row === undefined || (expiresAt !== null && expiresAt <= now) ? undefined : asBuffer(row.value);
        if (existing !== undefined && !isHashPayload(existing)) throw new CacheAbort(wrongType(key, "a value"));
        const merged = { ...(existing === undefined ? {} : decodeHash(existing)), ...fields };
        await manager.query(this.upsert, [key, encodeHash(merged), now + ttlSeconds * 1000, now]);
      }),
    );
  }

  hashGetAll(key: string): ResultAsync<Record<string, string> | undefined, CacheError> {
    return this.run(key, async () => {
      const rows = (await this.database.dataSource.query(this.sql("SELECT value FROM cache_entries WHERE key = ? AND (expires_at IS NULL OR expires_at > ?)"), [key, this.now()])) as PayloadRow[];
      if (rows[0] === undefined) return undefined;
      const payload = asBuffer(rows[0].value);
      if (!isHashPayload(payload)) throw new CacheAbort(wrongType(key, "a value"));
      return decodeHash(payload);
    });
  }

  set(key: string, payload: Buffer, ttlSeconds: number): ResultAsync<void, CacheError> {
    return this.run(key, async () => {
      const now = this.now();
      await this.database.dataSource.query(this.upsert, [key, payload, now + ttlSeconds * 1000, now]);
    });
  }

  delete(key: string): ResultAsync<boolean, CacheError> {
    return this.run(key, async () => {
      const rows = await this.records<{ expires_at: number | string | null }>("DELETE FROM cache_entries WHERE key = ? RETURNING expires_at", [key]);
      const row = rows[0];
      const expiresAt = row === undefined ? null : asMillis(row.expires_at);
      return row !== undefined && (expiresAt === null || expiresAt > this.now());
    });
  }

  increment(key: string, by: number, ttlSeconds: number | undefined): ResultAsync<number, CacheError> {
    // Read-modify-write with the entry locked before the read, so no other connection (in this
    // process or another) can slip an update in between.
    return this.run(key, () =>
      this.database.dataSource.transaction(async (manager) => {
        const now = this.now();
        const row = await this.lockEntry(key);
        const rowExpiry = row === undefined ? null : asMillis(row.expires_at);
        const live = row !== undefined && (rowExpiry === null || rowExpiry > now);
        let current = 0;
        if (live) {
          if (isHashPayload(asBuffer(row.value))) throw new CacheAbort(wrongType(key, "a hash"));
          const text = asBuffer(row.value).toString("utf8");
          if (!/^-?\d+$/.test(text) || !Number.isSafeInteger(Number(text))) {
            throw new CacheAbort(cacheError("CACHE_NOT_AN_INTEGER", `Cache entry '${key}' does not hold an integer; it cannot be incremented.`, key));
          }
          current = Number(text);
        }
        const next = current + by;
        if (!Number.isSafeInteger(next)) throw new CacheAbort(cacheError("CACHE_INVALID_ARGUMENT", `Incrementing '${key}' by ${by} overflows a safe integer.`, key));
        // Same rule as Redis' EXPIRE NX: a live entry keeps its expiry; one without expiry (or a new one) gets the TTL if given.
        const expiresAt = live && rowExpiry !== null ? rowExpiry : ttlSeconds === undefined ? null : now + ttlSeconds * 1000;
        await manager.query(this.upsert, [key, Buffer.from(String(next), "utf8"), expiresAt, now]);
        return next;
      }),
    );
  }

  deleteByPrefix(prefix: string): ResultAsync<number, CacheError> {
    return this.run(prefix, async () => {
      // substr() compares characters exactly; LIKE would treat '%' and '_' in the prefix as wildcards.
      const rows = await this.records("DELETE FROM cache_entries WHERE substr(key, 1, ?) = ? RETURNING key", [prefix.length, prefix]);
      return rows.length;
    });
  }

  removeExpired(): ResultAsync<number, CacheError> {
    return this.run(undefined, async () => {
      const rows = await this.records("DELETE FROM cache_entries WHERE expires_at IS NOT NULL AND expires_at <= ? RETURNING key", [this.now()]);
      return rows.length;
    });
  }

  /** The database belongs to the framework, which closes it; this only stops further use. */
  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }
}
