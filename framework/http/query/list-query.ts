import { err, ok, type Result } from "neverthrow";
import type { EntityMetadata } from "typeorm";
import type { ListQuery, Sort } from "../../crud/crud-types";
import { apiError, type ApiError } from "../errors/api-error";
import { sensitiveOf } from "../sensitive/hide-sensitive";
import { parseFilterParameter, type FilterParameter } from "./filter-param";

/** The table-page query string after schema validation. */
export interface TablePageQuery {
  readonly page?: number;
  readonly page_size?: number;
  /** Comma-separated columns, `-` in front for descending: `-created_at,name`. */
  readonly sort?: string;
  /** `filter[column][operator]=value`, groups `filter[or][0][column][operator]=value`, or JSON `filter={…}`. */
  readonly filter?: FilterParameter;
  /** Comma-separated columns to return (the primary key always comes too). */
  readonly fields?: string;
  /** Comma-separated relations to include. */
  readonly include?: string;
  /** The `next_cursor` of the previous page. */
  readonly cursor?: string;
  /** `none` skips the total count. */
  readonly count?: "exact" | "none";
  /** Include soft-deleted rows. */
  readonly with_deleted?: boolean;
}

function refuseSensitive(column: string, use: "sorted" | "selected"): ApiError {
  return apiError("VALIDATION_FAILED", `Column '${column}' is sensitive and cannot be ${use}.`, "core.http", { column, reason: "sensitive_column" });
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

/** `id,name` → column names; sensitive ones refused. */
export function parseFields(text: string | undefined, sensitive: ReadonlySet<string>): Result<string[] | undefined, ApiError> {
  if (text === undefined) return ok(undefined);
  const fields = text.split(",").map((field) => field.trim());
  if (fields.some((field) => field === "")) return err(apiError("VALIDATION_FAILED", `fields has an empty name in '${text}'; write it as fields=id,name.`, "core.http", { fields: text }));
  const hidden = fields.find((field) => sensitive.has(field));
  return hidden === undefined ? ok(fields) : err(refuseSensitive(hidden, "selected"));
}

/**
 * Maps a validated query string onto the CrudService's {@link ListQuery}. Sensitive columns are
 * refused here; every other column and operator is checked against the table by the CrudService.
 */
export function toListQuery(query: TablePageQuery, metadata: EntityMetadata): Result<ListQuery, ApiError> {
  const sensitive = sensitiveOf(metadata);
  return parseSort(query.sort, sensitive).andThen((sort) =>
    parseFilterParameter(metadata, query.filter).andThen((filters) =>
      parseFields(query.fields, sensitive).map((fields) => ({
        sort,
        filters,
        ...(fields === undefined ? {} : { fields }),
        ...(query.include === undefined ? {} : { include: query.include.split(",").map((name) => name.trim()) }),
        ...(query.page === undefined ? {} : { page: query.page }),
        ...(query.page_size === undefined ? {} : { pageSize: query.page_size }),
        ...(query.cursor === undefined ? {} : { cursor: query.cursor }),
        ...(query.count === undefined ? {} : { count: query.count }),
        ...(query.with_deleted === undefined ? {} : { withDeleted: query.with_deleted }),
      })),
    ),
  );
}
