import { err, ok, Result } from "neverthrow";
import type { ColumnMetadata } from "typeorm/metadata/ColumnMetadata";
import { dbError, type DbError } from "../../errors/db-error";
import { findColumn } from "../column-lookup";
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, type ListQuery, type Sort } from "../crud-types";
import { quoteIdentifier } from "../sql-identifier";
import { queryFingerprint, type CursorCodec } from "./cursor-codec";
import { compileFilters } from "./filter-tree";
import { readSelection, type IncludeTree } from "./include-relations";
import { ParameterBag, whereClause } from "./sql-fragment";
import { liveRowsCondition, type TableTarget } from "./table-target";

/** One key of a page's order; the primary key always ends the list, so the order is total. */
export interface SortKey {
  readonly column: ColumnMetadata;
  readonly descending: boolean;
}

/** Everything `list` decided before touching the database. */
export interface ListPlan {
  readonly target: TableTarget;
  readonly page: number;
  readonly pageSize: number;
  readonly count: "exact" | "none";
  /** Columns returned to the caller. */
  readonly output: readonly ColumnMetadata[];
  /** Columns read: the returned ones and the sort keys (a cursor needs their values). */
  readonly read: readonly ColumnMetadata[];
  readonly keys: readonly SortKey[];
  /** Filters and soft-delete: what the total counts. */
  readonly matchWhere: string;
  /** The same plus the cursor's position: what the page reads. */
  readonly pageWhere: string;
  readonly orderBy: string;
  readonly bag: ParameterBag;
  readonly fingerprint: string;
  readonly fromCursor: boolean;
  /** Relations to load onto the page's records. */
  readonly includes: readonly IncludeTree[];
}

function isPositiveInteger(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= 1;
}

/**
 * NULLs sort before every value ascending and after every value descending, on every engine
 * (SQLite's default, spelled out because PostgreSQL's is the opposite).
 */
function orderTerm(key: SortKey): string {
  return `${quoteIdentifier(key.column.databaseName)} ${key.descending ? "DESC NULLS LAST" : "ASC NULLS FIRST"}`;
}

/** Rows strictly after `value` in one key's order; undefined when none can be. */
function strictlyAfter(key: SortKey, value: unknown, bag: ParameterBag): string | undefined {
  const name = quoteIdentifier(key.column.databaseName);
  if (value === null) return key.descending ? undefined : `${name} IS NOT NULL`;
  return key.descending ? `(${name} < ${bag.bind(value)} OR ${name} IS NULL)` : `${name} > ${bag.bind(value)}`;
}

/** The keyset condition "after the row whose sort keys are `values`", NULLs placed as {@link orderTerm} does. */
function afterPosition(keys: readonly SortKey[], values: readonly unknown[], bag: ParameterBag): string {
  const branches: string[] = [];
  keys.forEach((key, index) => {
    const after = strictlyAfter(key, values[index], bag);
    if (after === undefined) return;
    const equal = keys.slice(0, index).map((previous, position) => {
      const name = quoteIdentifier(previous.column.databaseName);
      return values[position] === null ? `${name} IS NULL` : `${name} = ${bag.bind(values[position])}`;
    });
    branches.push([...equal, after].join(" AND "));
  });
  return branches.length === 0 ? "1 = 0" : branches.map((branch) => `(${branch})`).join(" OR ");
}

function sortKeys(target: TableTarget, sorts: readonly Sort[], database: string): Result<SortKey[], DbError> {
  if (!Array.isArray(sorts)) return err(dbError("VALIDATION_FAILED", "sort must be an array of { column, direction }.", database));
  return Result.combine(
    sorts.map((sort) =>
      findColumn(target.metadata, sort?.column, database).andThen((column) =>
        sort.direction === "asc" || sort.direction === "desc"
          ? ok({ column, descending: sort.direction === "desc" })
          : err(dbError("VALIDATION_FAILED", `Sort direction must be asc or desc, got ${JSON.stringify(sort.direction)}.`, database, { column: sort.column })),
      ),
    ),
  ).map((keys) => {
    const named = new Set(keys.map((key) => key.column));
    return [...keys, ...target.metadata.primaryColumns.filter((column) => !named.has(column)).map((column) => ({ column, descending: false }))];
  });
}

/** Validates a {@link ListQuery} and turns it into SQL parts; nothing is read yet. */
export function planList(target: TableTarget, query: ListQuery, cursors: CursorCodec): Result<ListPlan, DbError> {
  const database = target.db.name;
  const invalid = (message: string, details: Record<string, unknown> = {}) => err(dbError("VALIDATION_FAILED", message, database, details));
  const page = query.page ?? 1;
  const pageSize = query.pageSize ?? DEFAULT_PAGE_SIZE;
  const count = query.count ?? "exact";
  if (!isPositiveInteger(page)) return invalid(`page must be a whole number from 1, got ${JSON.stringify(query.page)}.`, { page: query.page });
  if (!isPositiveInteger(pageSize) || pageSize > MAX_PAGE_SIZE) {
    return invalid(`pageSize must be a whole number from 1 to ${MAX_PAGE_SIZE}, got ${JSON.stringify(query.pageSize)}.`, { page_size: query.pageSize, max_page_size: MAX_PAGE_SIZE });
  }
  if (query.maxBytes !== undefined && !isPositiveInteger(query.maxBytes)) return invalid(`maxBytes must be a whole number from 1, got ${JSON.stringify(query.maxBytes)}.`, { max_bytes: query.maxBytes });
  if (count !== "exact" && count !== "none") return invalid(`count must be exact or none, got ${JSON.stringify(query.count)}.`, { count: query.count });
  if (query.cursor !== undefined && page !== 1) return invalid("A cursor and a page number cannot be combined: the cursor already says where the page starts.", { page });

  const bag = new ParameterBag();
  const parts = sortKeys(target, query.sort ?? [], database).andThen((keys) => readSelection(target.metadata, query.fields, query.include, database).map((selection) => ({ keys, ...selection })));
  return parts.andThen(({ keys, columns, includes }) =>
    compileFilters(target.db.dataSource, target.metadata, query.filters, database, bag).andThen((filterCondition) => {
      const fingerprint = queryFingerprint([database, target.metadata.tableName, keys.map((key) => [key.column.databaseName, key.descending]), query.filters ?? [], query.withDeleted === true]);
      const position = query.cursor === undefined ? ok(undefined) : cursors.decode(query.cursor, fingerprint, keys.length, database);
      return position.map((decoded): ListPlan => {
        // Join columns an include matches on come along even when fields leaves them out (readSelection).
        const readSet = new Set([...columns, ...keys.map((key) => key.column)]);
        const live = liveRowsCondition(target.metadata, query.withDeleted);
        const after = decoded === undefined ? "" : afterPosition(keys, decoded.values, bag);
        return {
          target,
          page,
          pageSize,
          count,
          output: columns,
          read: target.metadata.columns.filter((column) => readSet.has(column)),
          keys,
          matchWhere: whereClause([filterCondition, live]),
          pageWhere: whereClause([filterCondition, live, after]),
          orderBy: ` ORDER BY ${keys.map(orderTerm).join(", ")}`,
          bag,
          fingerprint,
          fromCursor: decoded !== undefined,
          includes,
        };
      });
    }),
  );
}
