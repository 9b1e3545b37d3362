import { err, ok, type Result } from "neverthrow";
import type { Filter, FilterOperator, ListQuery, Sort } from "../../crud/crud-types";
import { apiError, type ApiError } from "../errors/api-error";

/** The table-page query string after schema validation. */
export interface TablePageQuery {
  readonly page?: number;
  readonly page_size?: number;
  /** Comma-separated columns, `-` in front for descending: `-created_at,name`. */
  readonly sort?: string;
  /** `filter[column][operator]=value`. */
  readonly filter?: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

function refuseSensitive(column: string, use: "filtered" | "sorted"): ApiError {
  return apiError(use === "filtered" ? "INVALID_FILTER" : "VALIDATION_FAILED", `Column '${column}' is sensitive and cannot be ${use} on.`, "core.http", { column, reason: "sensitive_column" });
}

/** `-created_at,name` → sort keys; empty keys are an error rather than ignored. */
function parseSort(text: string | undefined, sensitive: ReadonlySet<string>): Result<Sort[], ApiError> {
  if (text === undefined) return ok([]);
  const sorts: Sort[] = [];
  for (const key of text.split(",")) {
    const descending = key.startsWith("-");
    const column = descending ? key.slice(1) : key;
    if (column === "") return err(apiError("VALIDATION_FAILED", `sort has an empty key in '${text}'; write it as sort=-created_at,name.`, "core.http", { sort: text }));
    if (sensitive.has(column)) return err(refuseSensitive(column, "sorted"));
    sorts.push({ column, direction: descending ? "desc" : "asc" });
  }
  return ok(sorts);
}

/**
 * Maps a validated query string onto the CrudService's {@link ListQuery}. Sensitive columns are
 * refused here; every other column and operator is checked against the table by the CrudService.
 */
export function toListQuery(query: TablePageQuery, sensitive: ReadonlySet<string>): Result<ListQuery, ApiError> {
  return parseSort(query.sort, sensitive).andThen((sort) => {
    const filters: Filter[] = [];
    for (const [column, operators] of Object.entries(query.filter ?? {})) {
      if (sensitive.has(column)) return err(refuseSensitive(column, "filtered"));
      for (const [op, value] of Object.entries(operators)) filters.push({ column, op: op as FilterOperator, value });
    }
    const listQuery: ListQuery = { sort, filters };
    return ok({
      ...listQuery,
      ...(query.page === undefined ? {} : { page: query.page }),
      ...(query.page_size === undefined ? {} : { pageSize: query.page_size }),
    });
  });
}
