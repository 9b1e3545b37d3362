/** Filter operators the CrudService understands. */
export const FILTER_OPERATORS = [
  "eq",
  "ne",
  "gt",
  "gte",
  "lt",
  "lte",
  "in",
  "nin",
  "like",
  "isnull",
  "between",
  "ilike",
  "contains",
  "starts_with",
  "ends_with",
  "has",
] as const;

/** One filter operator. */
export type FilterOperator = (typeof FILTER_OPERATORS)[number];

/** A condition on one column. */
export interface Filter {
  /** A column of the table, or `relation.column` of a ManyToOne/OneToOne relation. */
  readonly column: string;
  readonly op: FilterOperator;
  /**
   * Not needed for `isnull` (defaults to true); an array (or comma-separated string) for
   * `in`/`nin`, two values for `between`; plain text for `contains`/`starts_with`/`ends_with`
   * (no wildcards); a pattern with `%`/`_` for `like`/`ilike`; one element for `has`.
   */
  readonly value?: unknown;
  /** For JSON columns: the keys (and array indexes) leading to the value compared, e.g. `["a", "b"]`. */
  readonly path?: readonly (string | number)[];
}

/** All of the nodes hold. */
export interface AndGroup {
  readonly and: readonly FilterNode[];
}
/** At least one of the nodes holds. */
export interface OrGroup {
  readonly or: readonly FilterNode[];
}
/** The node does not hold. */
export interface NotGroup {
  readonly not: FilterNode;
}

/** A filter or a group of them; a query's top-level nodes are AND-ed. */
export type FilterNode = Filter | AndGroup | OrGroup | NotGroup;

/** Groups nest at most this deep (a plain filter list is depth 1). */
export const MAX_FILTER_DEPTH = 8;
/** At most this many nodes (filters and groups) in one query. */
export const MAX_FILTER_NODES = 200;

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
  readonly filters?: readonly FilterNode[];
  /** Columns to return (primary-key columns are always added); all columns when absent. */
  readonly fields?: readonly string[];
  /**
   * Relation properties to load onto each record, at most two levels (`author`, `author.books`):
   * a to-one relation as a nested record (or null), a to-many one as an array of at most 100
   * records, flagged `_truncated: { books: true }` when cut. One query per relation and level.
   */
  readonly include?: readonly string[];
  /**
   * An opaque token from {@link Page.nextCursor}: the page starts after the row it names
   * (keyset pagination). The query's sort and filters must be those the cursor came from.
   */
  readonly cursor?: string;
  /** `exact` (the default) counts the matching rows; `none` skips the count (totals come back null). */
  readonly count?: "exact" | "none";
  /** Include soft-deleted rows of tables with a `@DeleteDateColumn`. */
  readonly withDeleted?: boolean;
  /**
   * Refuse the page with RESULT_TOO_LARGE when its rows would take more than this many bytes in a
   * JSON response, estimated from stored sizes before any row is read (the HTTP API passes
   * `HTTP_RESPONSE_LIMIT`). Unset: no limit.
   */
  readonly maxBytes?: number;
}

/** Options of `CrudService.get`. */
export interface GetOptions {
  /** Relations to load onto the record, as {@link ListQuery.include}. */
  readonly include?: readonly string[];
  /** Columns to return (primary-key columns are always added). */
  readonly fields?: readonly string[];
  /** Find the record even when it is soft-deleted. */
  readonly withDeleted?: boolean;
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
  /** Null when the query asked for `count: "none"`. */
  readonly totalRecords: number | null;
  readonly totalPages: number | null;
  /** Pass as {@link ListQuery.cursor} for the rows after this page; null on the last page. */
  readonly nextCursor: string | null;
}

/** What `CrudService.createMany` reports. */
export interface CreateManyResult {
  readonly inserted: number;
}

/** Page size used when a query names none. */
export const DEFAULT_PAGE_SIZE = 50;
/** The largest page a query may ask for. */
export const MAX_PAGE_SIZE = 1000;
