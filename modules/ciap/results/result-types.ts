/** One scraped result to store; `search_id` must name an existing search. */
export interface NewSearchResult {
  readonly search_id: number;
  readonly source?: string | null;
  readonly title?: string | null;
  readonly snippet?: string | null;
  readonly url?: string | null;
  /** Ranking position within its source's results (1 = top). */
  readonly position?: number | null;
  readonly sentiment_score?: number | null;
  readonly competitor_mentioned?: readonly string[] | null;
  readonly keywords?: readonly string[] | null;
}

/** The analysis columns `SearchResultService.updateAnalysis` may change; omitted fields stay as they are. */
export interface ResultAnalysis {
  readonly sentiment_score?: number | null;
  readonly competitor_mentioned?: readonly string[] | null;
  readonly keywords?: readonly string[] | null;
}

/** Options of `SearchResultService.insertMany`. */
export interface InsertManyOptions {
  /** Rows per INSERT statement; defaults to {@link DEFAULT_RESULT_CHUNK_SIZE}, at most {@link MAX_RESULT_CHUNK_SIZE}. */
  readonly chunkSize?: number;
}

/** What `SearchResultService.insertMany` reports. */
export interface InsertManyReport {
  readonly inserted: number;
  /** INSERT statements it took. */
  readonly chunks: number;
}

/** Rows per INSERT by default: 500 rows × 10 columns stays far below SQLite's bound-parameter limit. */
export const DEFAULT_RESULT_CHUNK_SIZE = 500;
/** The largest chunk allowed (keeps one statement under SQLite's 32766 bound parameters). */
export const MAX_RESULT_CHUNK_SIZE = 2000;
/** Rows `bySearch` returns when no limit is given. */
export const DEFAULT_RESULT_LIMIT = 100;
