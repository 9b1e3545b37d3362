import { INVALID_QUERY_KEY, type QueryObject, type QueryValue } from "./parse-query-string";

/**
 * The query parameters seed 003 documents, accepted as aliases of this API's own:
 * `sort_by=c` (+ `sort_desc=true`) is `sort=c` (`sort=-c`), and `filter_column=c&filter_value=v`
 * is `filter[c][eq]=v`. A normalisation step between parsing and validation, so every route
 * sees only the canonical form. Mixing an alias with its canonical parameter, or giving half a
 * pair, is refused (as an `invalid_query` entry) instead of one silently winning.
 */
export const SEED_QUERY_ALIASES = ["sort_by", "sort_desc", "filter_column", "filter_value"] as const;

function refuse(problem: string): QueryObject {
  return { [INVALID_QUERY_KEY]: problem };
}

function single(value: QueryValue | undefined): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** Rewrites the seed's aliases into `sort` / `filter[...]`; anything else passes through unchanged. */
export function normaliseSeedAliases(query: QueryObject): QueryObject {
  if (!SEED_QUERY_ALIASES.some((alias) => alias in query)) return query;
  const { sort_by: sortBy, sort_desc: sortDesc, filter_column: filterColumn, filter_value: filterValue, ...rest } = query;
  const result: QueryObject = { ...rest };
  if (sortBy !== undefined || sortDesc !== undefined) {
    const column = single(sortBy);
    if (column === undefined || column === "") return refuse("sort_desc needs sort_by (one column), e.g. sort_by=created_at&sort_desc=true");
    if (rest.sort !== undefined) return refuse("use sort or sort_by, not both");
    const descending = single(sortDesc) ?? "false";
    if (!/^(true|false|1|0)$/i.test(descending)) return refuse(`sort_desc must be true or false (got '${String(sortDesc)}')`);
    result.sort = /^(true|1)$/i.test(descending) ? `-${column}` : column;
  }
  if (filterColumn !== undefined || filterValue !== undefined) {
    const column = single(filterColumn);
    const value = single(filterValue);
    if (column === undefined || column === "" || value === undefined) return refuse("filter_column and filter_value go together (one each), e.g. filter_column=status&filter_value=pending");
    const filter = rest.filter ?? {};
    if (typeof filter === "string" || Array.isArray(filter)) return refuse("filter_column/filter_value combine only with the bracket form filter[column][op]=value");
    const existing = filter[column];
    if (existing !== undefined && (typeof existing !== "object" || Array.isArray(existing) || "eq" in existing)) return refuse(`filter_column=${column} repeats filter[${column}]`);
    result.filter = { ...filter, [column]: { ...existing, eq: value } };
  }
  return result;
}
