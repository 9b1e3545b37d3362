import { err, ok, Result } from "neverthrow";
import type { ColumnMetadata } from "typeorm/metadata/ColumnMetadata";
import type { DataSource, EntityMetadata, ObjectLiteral } from "typeorm";
import { dbError, type DbError } from "../errors/db-error";
import { coerceValue } from "./coerce-value";
import { findColumn, tableColumns } from "./column-lookup";
import { checkDeclaredLength } from "./declared-length";
import type { CrudRecord } from "./crud-types";
import { quoteIdentifier } from "./sql-identifier";

/** Column values validated against their metadata, ready to be set on an entity. */
export type ColumnValues = Map<ColumnMetadata, unknown>;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/** True for a column the database (or TypeORM) fills when a create leaves it out. */
export function isFilledByDatabase(column: ColumnMetadata): boolean {
  return column.isNullable || column.default !== undefined || column.isGenerated || column.isCreateDate || column.isUpdateDate || column.isVersion || column.generationStrategy !== undefined;
}

/**
 * Validates a record's values for `create` (every required column present) or `update`
 * (at least one column, primary key untouched). Unknown columns, wrong types and text longer than
 * the column's declared length are errors.
 */
export function validateValues(metadata: EntityMetadata, values: unknown, mode: "create" | "update", database: string): Result<ColumnValues, DbError> {
  const failed = (message: string, details: Record<string, unknown>) => err(dbError("VALIDATION_FAILED", message, database, { table_name: metadata.tableName, ...details }));
  if (!isPlainObject(values)) return failed("The record must be a JSON object of column values.", {});
  const entries = Object.entries(values);
  if (mode === "update" && entries.length === 0) return failed("The update names no column.", {});

  const checked = Result.combine(
    entries.map(([name, value]) =>
      findColumn(metadata, name, database).andThen((column) => {
        if (mode === "update" && column.isPrimary) return failed(`Primary key column '${name}' cannot be changed.`, { column: name });
        return coerceValue(column, value, "write")
          .mapErr((reason) => dbError("VALIDATION_FAILED", `Invalid value for '${name}': ${reason}.`, database, { table_name: metadata.tableName, column: name, reason }))
          .andThen((coerced) => checkDeclaredLength(metadata, column, coerced, database))
          .map((coerced) => [column, coerced] as const);
      }),
    ),
  );
  return checked.andThen((pairs) => {
    const columnValues: ColumnValues = new Map(pairs);
    if (mode === "create") {
      const missing = tableColumns(metadata).filter((column) => !isFilledByDatabase(column) && !columnValues.has(column));
      if (missing.length > 0) {
        return failed(`Missing required column(s): ${missing.map((column) => column.databaseName).join(", ")}.`, { missing: missing.map((column) => column.databaseName) });
      }
    }
    return ok(columnValues);
  });
}

/** True for a relation's join column that has no entity property of its own (its value lives on the related object). */
function isImplicitJoinColumn(column: ColumnMetadata): boolean {
  return column.isVirtual && column.referencedColumn !== undefined && column.embeddedMetadata === undefined && column.referencedColumn.propertyName !== column.propertyName;
}

/** Sets validated values on an entity object (relation join columns included). */
export function assignValues<T extends ObjectLiteral>(target: T, values: ColumnValues): T {
  for (const [column, value] of values) {
    // TypeORM writes such a value into `entity[relation][referencedKey]` and creates the related
    // object only when the property is absent. An entity whose class fields are defined (as
    // undefined) by the compiler has it present, so make sure there is an object to write into.
    const record = target as Record<string, unknown>;
    if (isImplicitJoinColumn(column) && (record[column.propertyName] === undefined || record[column.propertyName] === null)) record[column.propertyName] = {};
    column.setEntityValue(target, value);
  }
  return target;
}

/** A raw row turned into a record of JS values, keyed by database column name (only `columns` when given). */
export function hydrateRecord(dataSource: DataSource, metadata: EntityMetadata, row: Record<string, unknown>, columns: readonly ColumnMetadata[] = tableColumns(metadata)): CrudRecord {
  const record: CrudRecord = {};
  for (const column of columns) {
    record[column.databaseName] = dataSource.driver.prepareHydratedValue(row[column.databaseName], column) as unknown;
  }
  return record;
}

/** The WHERE clause selecting one row by primary key, or VALIDATION_FAILED for an unusable id. */
export function primaryKeyWhere(metadata: EntityMetadata, id: unknown, dataSource: DataSource, database: string): Result<{ sql: string; parameters: unknown[] }, DbError> {
  const keys = metadata.primaryColumns;
  const invalid = (reason: string) => err(dbError("VALIDATION_FAILED", `Invalid id for '${metadata.tableName}': ${reason}.`, database, { table_name: metadata.tableName, primary_key: keys.map((key) => key.databaseName), reason: "invalid_id" }));
  if (keys.length === 0) return invalid("the table has no primary key");
  const idParts: Result<unknown, string>[] =
    keys.length === 1
      ? [coerceValue(keys[0] as ColumnMetadata, isPlainObject(id) ? id[(keys[0] as ColumnMetadata).databaseName] : id, "key")]
      : isPlainObject(id)
        ? keys.map((key) => coerceValue(key, id[key.databaseName], "key"))
        : [err(`a composite key needs an object with ${keys.map((key) => key.databaseName).join(", ")}`)];
  const combined = Result.combine(idParts);
  if (combined.isErr()) return invalid(combined.error);
  return ok({
    sql: ` WHERE ${keys.map((key) => `${quoteIdentifier(key.databaseName)} = ?`).join(" AND ")}`,
    parameters: combined.value.map((value, index) => dataSource.driver.preparePersistentValue(value, keys[index] as ColumnMetadata) as unknown),
  });
}

/**
 * SQLite does not say which foreign key failed; for a write that names columns, the candidates
 * are the foreign-key columns it wrote. Other errors pass unchanged.
 */
export function withForeignKeyColumns(error: DbError, metadata: EntityMetadata, columns: ColumnValues): DbError {
  if (error.code !== "CONSTRAINT_VIOLATION" || error.details?.constraint !== "foreign_key") return error;
  const written = new Set([...columns.keys()].map((column) => column.databaseName));
  const candidates = metadata.foreignKeys.flatMap((key) => key.columns.map((column) => column.databaseName)).filter((name) => written.has(name));
  return { ...error, details: { ...error.details, table: metadata.tableName, columns: [...new Set(candidates)] } };
}
