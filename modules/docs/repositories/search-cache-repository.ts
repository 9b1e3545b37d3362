import { createHash } from "node:crypto";
import { err, errAsync, ok, Result, type ResultAsync } from "neverthrow";
import { inject, injectable } from "tsyringe";
import type { DbError } from "../../../framework/errors/db-error";
import { sqlTimestamp } from "../../../framework/sql/sql-params";
import type { SqlRow } from "../../../framework/sql/sql-types";
import { DocsSql } from "../docs-sql";
import { invalidField, optionalInteger, optionalText, parseJson, requireText, toBoolean } from "./row-values";

/** A live `search_cache` row as read back. */
export interface CachedSearch {
  readonly query_hash: string;
  readonly original_query: string;
  readonly search_results: unknown;
  readonly technology_hint: string | null;
  readonly workspace_slugs: string[] | null;
  readonly result_count: number;
  readonly execution_time_ms: number;
  readonly cache_hit: boolean;
  readonly created_at: string;
  readonly expires_at: string;
  readonly access_count: number;
  readonly last_accessed_at: string;
}

/** A search result to cache. */
export interface CacheSearchInput {
  readonly query: string;
  readonly technologyHint?: string | null;
  /** Any JSON value; stored as JSON text. */
  readonly results: unknown;
  /** How long the entry stays valid. */
  readonly ttlMs: number;
  readonly workspaceSlugs?: readonly string[] | null;
  readonly resultCount?: number;
  readonly executionTimeMs?: number;
}

/** The cache key of a search: SHA-256 of the trimmed, lower-cased query and the technology hint. */
export function searchQueryHash(query: string, technologyHint: string | null = null): string {
  return createHash("sha256").update(`${query.trim().toLowerCase()}\u0000${technologyHint ?? ""}`).digest("hex");
}

function toCached(row: SqlRow): CachedSearch {
  const slugs = parseJson(row.workspace_slugs);
  return {
    ...(row as unknown as CachedSearch),
    search_results: parseJson(row.search_results),
    workspace_slugs: Array.isArray(slugs) ? slugs.map(String) : null,
    cache_hit: toBoolean(row.cache_hit),
  };
}

/** The SQLite search cache of seed 004 (PRD-009): put with a TTL, read only live entries, sweep expired ones. */
@injectable()
export class SearchCacheRepository {
  constructor(@inject(DocsSql) private readonly sql: DocsSql) {}

  /** Stores (or replaces) the cached results of a search, valid for `ttlMs` from now. */
  put(input: CacheSearchInput): ResultAsync<CachedSearch, DbError> {
    if (!Number.isInteger(input.ttlMs) || input.ttlMs <= 0) return errAsync(invalidField("ttlMs", "must be a positive integer of milliseconds."));
    let resultsJson: string | undefined;
    try {
      resultsJson = JSON.stringify(input.results);
    } catch {
      resultsJson = undefined;
    }
    if (resultsJson === undefined) return errAsync(invalidField("results", "must be serialisable as JSON."));
    const values = Result.combine([
      requireText(input.query, "query"),
      optionalText(input.technologyHint, "technologyHint"),
      optionalInteger(input.resultCount, "resultCount"),
      optionalInteger(input.executionTimeMs, "executionTimeMs").map((ms) => ms ?? 0),
    ]);
    if (values.isErr()) return errAsync(values.error);
    const [query, hint, resultCount, executionTimeMs] = values.value;
    const slugs = input.workspaceSlugs === undefined || input.workspaceSlugs === null ? null : JSON.stringify(input.workspaceSlugs);
    const count = resultCount ?? (Array.isArray(input.results) ? input.results.length : 0);
    const now = new Date();
    const hash = searchQueryHash(query, hint);
    return this.sql
      .fetchOne(
        `INSERT INTO search_cache (query_hash, original_query, search_results, technology_hint, workspace_slugs, result_count, execution_time_ms, created_at, expires_at, last_accessed_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(query_hash) DO UPDATE SET
           original_query = excluded.original_query, search_results = excluded.search_results, workspace_slugs = excluded.workspace_slugs,
           result_count = excluded.result_count, execution_time_ms = excluded.execution_time_ms, created_at = excluded.created_at,
           expires_at = excluded.expires_at, cache_hit = FALSE, access_count = 0, last_accessed_at = excluded.last_accessed_at
         RETURNING *`,
        [hash, query, resultsJson, hint, slugs, count, executionTimeMs, sqlTimestamp(now), sqlTimestamp(new Date(now.getTime() + input.ttlMs)), sqlTimestamp(now)],
      )
      .andThen((row) => (row === null ? err(invalidField("query", "could not be cached.")) : ok(toCached(row))));
  }

  /**
   * The live cached results of a search, or null when absent or expired. A hit is counted
   * (access_count, last_accessed_at, cache_hit) in the same statement that reads it.
   */
  get(query: string, technologyHint: string | null = null): ResultAsync<CachedSearch | null, DbError> {
    const now = sqlTimestamp(new Date());
    return this.sql
      .fetchOne("UPDATE search_cache SET access_count = access_count + 1, last_accessed_at = ?, cache_hit = TRUE WHERE query_hash = ? AND expires_at > ? RETURNING *", [
        now,
        searchQueryHash(query, technologyHint),
        now,
      ])
      .map((row) => (row === null ? null : toCached(row)));
  }

  /** Deletes every entry expired at `now` and returns how many went. */
  cleanupExpired(now: Date = new Date()): ResultAsync<number, DbError> {
    return this.sql.execute("DELETE FROM search_cache WHERE expires_at <= ?", [sqlTimestamp(now)]).map((result) => result.changes);
  }

  /** Entries in the cache, expired ones included (they stay until the next sweep). */
  count(): ResultAsync<number, DbError> {
    return this.sql.fetchOne<{ total: number }>("SELECT CAST(COUNT(*) AS INTEGER) AS total FROM search_cache").map((row) => row?.total ?? 0);
  }
}
