import { err, ok, type Result } from "neverthrow";
import type { ColumnMetadata } from "typeorm/metadata/ColumnMetadata";
import { dbError, type DbError } from "../../errors/db-error";
import { checkDeclaredLength } from "../declared-length";
import type { ColumnValues } from "../record-values";
import type { CompiledColumn, CompiledTable } from "./compiled-table";

/** A record's values checked against a compiled table: the columns named, in the caller's order, and their values. */
export interface CheckedValues {
  readonly columns: readonly CompiledColumn[];
  /** JS values after the column's checks (dates as Date, JSON as given), not yet in stored form. */
  readonly values: readonly unknown[];
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/**
 * `validateValues` on a compiled table: the same checks in the same order, the same errors and
 * messages (COLUMN_NOT_FOUND with the columns that exist, VALIDATION_FAILED for a changed primary
 * key, a wrong type, text over the declared length, missing required columns), without walking
 * the metadata on every call.
 */
export function checkValues(table: CompiledTable, values: unknown, mode: "create" | "update"): Result<CheckedValues, DbError> {
  const { metadata, database } = table;
  const failed = (message: string, details: Record<string, unknown>) => err(dbError("VALIDATION_FAILED", message, database, { table_name: metadata.tableName, ...details }));
  if (!isPlainObject(values)) return failed("The record must be a JSON object of column values.", {});
  const names = Object.keys(values);
  if (mode === "update" && names.length === 0) return failed("The update names no column.", {});
  const columns: CompiledColumn[] = [];
  const checked: unknown[] = [];
  for (const name of names) {
    const column = table.byName.get(name);
    if (column === undefined) {
      return err(
        dbError("COLUMN_NOT_FOUND", `Column '${name}' not found in table '${metadata.tableName}'.`, database, {
          table_name: metadata.tableName,
          column_name: name,
          available_columns: table.columns.map((candidate) => candidate.name),
        }),
      );
    }
    if (mode === "update" && column.metadata.isPrimary) return failed(`Primary key column '${name}' cannot be changed.`, { column: name });
    const coerced = column.coerce(values[name], "write");
    if (coerced.isErr()) return failed(`Invalid value for '${name}': ${coerced.error}.`, { column: name, reason: coerced.error });
    let value = coerced.value;
    if (column.maxLength !== undefined && typeof value === "string" && value.length > column.maxLength) {
      const within = checkDeclaredLength(metadata, column.metadata, value, database);
      if (within.isErr()) return err(within.error);
      value = within.value;
    }
    columns.push(column);
    checked.push(value);
  }
  if (mode === "create") {
    const missing = table.required.filter((column) => !columns.includes(column));
    if (missing.length > 0) return failed(`Missing required column(s): ${missing.map((column) => column.name).join(", ")}.`, { missing: missing.map((column) => column.name) });
  }
  return ok({ columns, values: checked });
}

/** The checked values as the `ColumnValues` map the DataSource path's helpers take (error decoration). */
export function asColumnValues(checked: CheckedValues): ColumnValues {
  return new Map(checked.columns.map((column, index): [ColumnMetadata, unknown] => [column.metadata, checked.values[index]]));
}
