/** Filter operators the CrudService understands. */
export const FILTER_OPERATORS = ["eq", "ne", "gt", "gte", "lt", "lte", "in", "nin", "like", "isnull"] as const;

/** One filter operator. */
export type FilterOperator = (typeof FILTER_OPERATORS)[number];

/** A condition on one column; every filter of a query must hold (AND). */
export interface Filter {
  readonly column: string;
  readonly op: FilterOperator;
  /** Not needed for `isnull` (defaults to true); an array (or comma-separated string) for `in`/`nin`. */
  readonly value?: unknown;
}

/** One sort key. */
export interface Sort {
  readonly column: string;
  readonly direction: "asc" | "desc";
}

/** What `CrudService.list` takes. */
export interface ListQuery {
  /** 1-based page number; defaults to 1. */
  readonly page?: number;
  /** Rows per page; defaults to 50, at most 1000. */
  readonly pageSize?: number;
  readonly sort?: readonly Sort[];
  readonly filters?: readonly Filter[];
  /**
   * Refuse the page with RESULT_TOO_LARGE when its rows would take more than this many bytes in a
   * JSON response, estimated from stored sizes before any row is read (the HTTP API passes
   * `HTTP_RESPONSE_LIMIT`). Unset: no limit.
   */
  readonly maxBytes?: number;
}

/** Options of `CrudService.get`. */
export interface GetOptions {
  /** Refuse the record with RESULT_TOO_LARGE when it would take more than this many bytes (see {@link ListQuery.maxBytes}). */
  readonly maxBytes?: number;
}

/** A row as the CrudService returns it: keyed by database column name. */
export type CrudRecord = Record<string, unknown>;

/** One page of rows. */
export interface Page {
  readonly records: CrudRecord[];
  readonly page: number;
  readonly pageSize: number;
  readonly totalRecords: number;
  readonly totalPages: number;
}

/** What `CrudService.createMany` reports. */
export interface CreateManyResult {
  readonly inserted: number;
}

/** Page size used when a query names none. */
export const DEFAULT_PAGE_SIZE = 50;
/** The largest page a query may ask for. */
export const MAX_PAGE_SIZE = 1000;
