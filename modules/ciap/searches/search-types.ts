import type { SearchStatus } from "../db-models";

/** What `SearchService.list` takes. */
export interface ListSearchesQuery {
  /** Only searches in this status; all when omitted. */
  readonly status?: SearchStatus;
  /** 1-based page number; defaults to 1. */
  readonly page?: number;
  /** Rows per page; defaults to 50, at most 1000. */
  readonly pageSize?: number;
}

/** Longest search query the `searches.query` column holds. */
export const MAX_QUERY_LENGTH = 500;
/** Longest `searches.user_id`. */
export const MAX_USER_ID_LENGTH = 100;
/** Statuses that end a search: they stamp `completed_at`. */
export const FINAL_SEARCH_STATUSES: readonly SearchStatus[] = ["completed", "failed"];

/** Most ids one `updateStatuses` call takes (one transaction; the ids go in chunks of {@link STATUS_BATCH_CHUNK}). */
export const MAX_STATUS_BATCH = 10_000;
/** Ids per `UPDATE … WHERE id IN (…)` statement: well under SQLite's bound-parameter limit. */
export const STATUS_BATCH_CHUNK = 500;

/** What `SearchService.updateStatuses` did. */
export interface BatchStatusReport {
  readonly status: SearchStatus;
  /** Rows changed: every id given (duplicates counted once). */
  readonly updated: number;
}
