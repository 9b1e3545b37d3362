import type { EntityManager } from "typeorm";
import type { ColumnMetadata } from "typeorm/metadata/ColumnMetadata";
import { tableColumns } from "./column-lookup";
import type { CrudRecord } from "./crud-types";
import { keyCondition } from "./query/record-key";
import { ParameterBag, runQuery, whereClause } from "./query/sql-fragment";
import { columnList, liveRowsCondition, type TableTarget } from "./query/table-target";
import { hydrateRecord } from "./record-values";
import { quoteIdentifier } from "./sql-identifier";

/** Which columns to read and whether soft-deleted rows count. */
export interface RowOptions {
  readonly columns?: readonly ColumnMetadata[];
  readonly withDeleted?: boolean | undefined;
}

/** The condition selecting one row by primary key, its values in `bag`; throws the DbError of an unusable id (inside work that classifies it). */
export function keyOrThrow(target: TableTarget, id: unknown, bag: ParameterBag): string {
  const condition = keyCondition(target.metadata, id, target.db.dataSource, target.db.name, bag);
  if (condition.isErr()) throw condition.error;
  return condition.value;
}

/** One record by primary key through the DataSource path, hydrated; undefined when there is none. */
export async function readRow(manager: EntityManager, target: TableTarget, id: unknown, options: RowOptions = {}): Promise<CrudRecord | undefined> {
  const bag = new ParameterBag();
  const columns = options.columns ?? tableColumns(target.metadata);
  const where = whereClause([keyOrThrow(target, id, bag), liveRowsCondition(target.metadata, options.withDeleted)]);
  const rows = await runQuery<Record<string, unknown>>(manager, `SELECT ${columnList(columns)} FROM ${quoteIdentifier(target.metadata.tableName)}${where}`, bag.values);
  return rows[0] === undefined ? undefined : hydrateRecord(target.db.dataSource, target.metadata, rows[0], columns);
}

