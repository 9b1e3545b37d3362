import { err, ok, Result } from "neverthrow";
import type { EntityMetadata } from "typeorm";
import type { ColumnMetadata } from "typeorm/metadata/ColumnMetadata";
import type { ModuleDatabase } from "../../database/module-database";
import { dbError, type DbError } from "../../errors/db-error";
import { findColumn, tableColumns } from "../column-lookup";
import { quoteIdentifier } from "../sql-identifier";

/** A table the CrudService works on: its database and entity metadata. */
export interface TableTarget {
  readonly db: ModuleDatabase;
  readonly metadata: EntityMetadata;
}

/** The `@DeleteDateColumn` of a table, when it has one (its rows are soft-deleted). */
export function softDeleteColumn(metadata: EntityMetadata): ColumnMetadata | undefined {
  return metadata.deleteDateColumn;
}

/** `deleted_at IS NULL` (on `alias.` when given) for soft-delete tables unless deleted rows are wanted; "" otherwise. */
export function liveRowsCondition(metadata: EntityMetadata, withDeleted: boolean | undefined, alias?: string): string {
  const column = softDeleteColumn(metadata);
  return column === undefined || withDeleted === true ? "" : `${alias === undefined ? "" : `${alias}.`}${quoteIdentifier(column.databaseName)} IS NULL`;
}

const MAX_FIELDS = 200;

/**
 * The columns a query returns: the named ones plus the primary key, in table order; every column
 * when `fields` is absent. Unknown names are COLUMN_NOT_FOUND.
 */
export function selectedColumns(metadata: EntityMetadata, fields: readonly string[] | undefined, database: string): Result<ColumnMetadata[], DbError> {
  if (fields === undefined) return ok(tableColumns(metadata));
  if (!Array.isArray(fields) || fields.length === 0 || fields.length > MAX_FIELDS || !fields.every((field) => typeof field === "string")) {
    return err(dbError("VALIDATION_FAILED", `fields takes 1 to ${MAX_FIELDS} column names.`, database, { table_name: metadata.tableName }));
  }
  return Result.combine(fields.map((field) => findColumn(metadata, field, database))).map((found) => {
    const wanted = new Set([...found, ...metadata.primaryColumns]);
    return tableColumns(metadata).filter((column) => wanted.has(column));
  });
}

/** `"a", "b"` for a SELECT list. */
export function columnList(columns: readonly ColumnMetadata[]): string {
  return columns.map((column) => quoteIdentifier(column.databaseName)).join(", ");
}
