import { err, ok, type Result } from "neverthrow";
import type { ColumnMetadata } from "typeorm/metadata/ColumnMetadata";
import type { EntityMetadata } from "typeorm";
import { dbError, type DbError } from "../errors/db-error";

/** The columns of a table as the CrudService addresses them: by database column name. */
export function tableColumns(metadata: EntityMetadata): ColumnMetadata[] {
  return metadata.columns.filter((column) => !column.isVirtualProperty);
}

/** Finds a column by its database name, or COLUMN_NOT_FOUND listing the columns that exist. */
export function findColumn(metadata: EntityMetadata, name: string, database: string): Result<ColumnMetadata, DbError> {
  const column = tableColumns(metadata).find((candidate) => candidate.databaseName === name);
  if (column !== undefined) return ok(column);
  return err(
    dbError("COLUMN_NOT_FOUND", `Column '${name}' not found in table '${metadata.tableName}'.`, database, {
      table_name: metadata.tableName,
      column_name: name,
      available_columns: tableColumns(metadata).map((candidate) => candidate.databaseName),
    }),
  );
}
