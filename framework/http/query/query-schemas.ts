import { DEFAULT_PAGE_SIZE, FILTER_OPERATORS, MAX_FILTER_DEPTH, MAX_FILTER_NODES, MAX_PAGE_SIZE } from "../../crud/crud-types";

/** How the `filter` parameter is written, for the OpenAPI document and error messages. */
export const FILTER_SYNTAX =
  `filter[column][operator]=value, several AND-ed; groups filter[or][0][status][eq]=a&filter[or][1][priority][lt]=3, ` +
  `filter[and][i]…, filter[not][column][operator]=value; related columns filter[author.name][eq]=Ada (ManyToOne). ` +
  `Or JSON: filter={"or":[{"status":{"eq":"a"}},{"priority":{"lt":3}}]}, where a node may also be ` +
  `{"column":"payload","path":["a","b"],"op":"eq","value":1} (JSON path) and values keep their JSON types. ` +
  `Operators: ${FILTER_OPERATORS.join(", ")}. in/nin/between take comma-separated values (between: low,high), isnull true or false, ` +
  `contains/starts_with/ends_with plain text (case-sensitive, no wildcards), like/ilike a pattern with % and _ (ilike ignores case), ` +
  `has one element of a JSON array column. At most ${MAX_FILTER_DEPTH} levels and ${MAX_FILTER_NODES} nodes.`;

/** The `filter` parameter: bracketed object or JSON text. */
export const filterParameterSchema = {
  description: FILTER_SYNTAX,
  anyOf: [
    { type: "object", maxProperties: 50, additionalProperties: true },
    { type: "string", maxLength: 16_384 },
  ],
} as const;

/** Query parameters of the table-page route. */
export const tablePageQuerySchema = {
  type: "object",
  additionalProperties: false,
  properties: {
    page: { type: "integer", minimum: 1, maximum: 2_147_483_647, default: 1, description: "1-based page number (offset paging); not combined with cursor." },
    page_size: { type: "integer", minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE, description: `Rows per page, at most ${MAX_PAGE_SIZE}.` },
    sort: { type: "string", minLength: 1, maxLength: 1000, description: "Comma-separated columns, '-' for descending: sort=-created_at,name. Ties are broken by the primary key; NULLs sort first ascending, last descending." },
    filter: filterParameterSchema,
    fields: { type: "string", minLength: 1, maxLength: 4000, description: "Comma-separated columns to return: fields=id,query,status. The primary key always comes too." },
    include: { type: "string", minLength: 1, maxLength: 1000, description: "Comma-separated relations to load, at most two levels: include=author,author.books. To-one relations come back nested (or null), to-many as arrays of at most 100 (flagged _truncated: { books: true } when cut)." },
    cursor: { type: "string", minLength: 1, maxLength: 8192, description: "The next_cursor of the previous page of the same query (keyset paging: as fast on page 1 000 000 as on page 1)." },
    count: { type: "string", enum: ["exact", "none"], description: "none skips counting: total_records and total_pages come back null." },
    with_deleted: { type: "boolean", description: "Include soft-deleted rows of tables with a delete-date column." },
  },
} as const;
