import { err, ok, type Result } from "neverthrow";
import type { EntityManager } from "typeorm";
import { dbError, DbErrorException, type DbError } from "../../errors/db-error";
import type { FilterNode } from "../crud-types";
import { quoteIdentifier } from "../sql-identifier";
import { compileFilters } from "./filter-tree";
import { ParameterBag, runQuery, whereClause } from "./sql-fragment";
import { liveRowsCondition, type TableTarget } from "./table-target";

/** The most rows one `updateMany`/`deleteMany` may change; more matching rows refuse the whole call. */
export const MAX_BULK_ROWS = 10_000;

/** What `updateMany` and `deleteMany` report. */
export interface BulkResult {
  readonly affected: number;
}

/** The rows a bulk write touches: a non-empty filter (a bulk write never means "everything" by omission), live rows only. */
export interface BulkSelection {
  readonly condition: string;
  readonly parameters: Readonly<Record<string, unknown>>;
}

/** Validates and compiles the filters of a bulk write; an empty filter is VALIDATION_FAILED. */
export function bulkSelection(target: TableTarget, filters: readonly FilterNode[] | undefined, operation: string): Result<BulkSelection, DbError> {
  const database = target.db.name;
  if (!Array.isArray(filters) || filters.length === 0) {
    return err(dbError("VALIDATION_FAILED", `${operation} needs at least one filter: a bulk write never applies to a whole table by omission.`, database, { table_name: target.metadata.tableName, reason: "empty_filter" }));
  }
  const bag = new ParameterBag();
  return compileFilters(target.db.dataSource, target.metadata, filters, database, bag).andThen((condition) =>
    condition === "" ? err(dbError("VALIDATION_FAILED", `${operation} needs at least one filter.`, database, { reason: "empty_filter" })) : ok({ condition: whereClause([condition, liveRowsCondition(target.metadata, false)]).slice(" WHERE ".length), parameters: bag.values }),
  );
}

/**
 * Counts the selected rows inside the write transaction and refuses (nothing written) when they
 * are more than {@link MAX_BULK_ROWS}; returns the count, which is what the write then changes.
 */
export async function countWithinCap(manager: EntityManager, target: TableTarget, selection: BulkSelection, operation: string): Promise<number> {
  const [row] = await runQuery<{ total: number }>(manager, `SELECT COUNT(*) AS total FROM ${quoteIdentifier(target.metadata.tableName)} WHERE ${selection.condition}`, selection.parameters);
  const matched = Number(row?.total ?? 0);
  if (matched > MAX_BULK_ROWS) {
    throw new DbErrorException(
      dbError("VALIDATION_FAILED", `${operation} would change ${matched} rows of '${target.metadata.tableName}', more than the ${MAX_BULK_ROWS} allowed in one call; narrow the filter.`, target.db.name, {
        table_name: target.metadata.tableName,
        matched,
        max_bulk_rows: MAX_BULK_ROWS,
        reason: "too_many_rows",
      }),
    );
  }
  return matched;
}

/**
 * The primary keys (database column → value) of the selected rows, read inside the write
 * transaction before the write, so the audit can name every record a bulk write changes; refuses
 * (nothing written) like {@link countWithinCap} when they are more than {@link MAX_BULK_ROWS}.
 */
export async function matchedKeys(manager: EntityManager, target: TableTarget, selection: BulkSelection, operation: string): Promise<Record<string, unknown>[]> {
  const columns = target.metadata.primaryColumns.map((column) => quoteIdentifier(column.databaseName)).join(", ");
  const keys = await runQuery<Record<string, unknown>>(manager, `SELECT ${columns} FROM ${quoteIdentifier(target.metadata.tableName)} WHERE ${selection.condition} LIMIT ${MAX_BULK_ROWS + 1}`, selection.parameters);
  // Over the cap: the count refuses, naming how many rows really match.
  if (keys.length > MAX_BULK_ROWS) await countWithinCap(manager, target, selection, operation);
  return keys;
}
