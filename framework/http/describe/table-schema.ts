import type { TableSchema } from "../../inspection/describe-table";

/** A table's structure as the schema route returns it: the shared description without database and table names. */
export type VisibleTableSchema = Pick<TableSchema, "columns" | "indexes" | "foreign_keys" | "checks">;

/**
 * The shared table description (`inspection/describe-table`, also printed by `moduledb schema`)
 * with sensitive columns left out entirely, and with them any index, key or check that names one.
 */
export function visibleSchema(schema: TableSchema, sensitive: ReadonlySet<string>): VisibleTableSchema {
  const visible = (names: readonly string[]) => names.every((name) => !sensitive.has(name));
  return {
    columns: schema.columns.filter((column) => !sensitive.has(column.name)),
    indexes: schema.indexes.filter((index) => visible(index.columns)),
    foreign_keys: schema.foreign_keys.filter((key) => visible(key.columns)),
    checks: schema.checks.filter((check) => ![...sensitive].some((name) => check.expression.includes(name))),
  };
}
