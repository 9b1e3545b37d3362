import type { ColumnMetadata } from "typeorm/metadata/ColumnMetadata";

/** How the CrudService validates and compares a column's values. */
export type ColumnKind = "integer" | "number" | "boolean" | "date" | "json" | "string";

const INTEGER_TYPES = new Set(["int", "integer", "tinyint", "smallint", "mediumint", "bigint", "unsigned big int", "int2", "int8"]);
const NUMBER_TYPES = new Set(["real", "double", "double precision", "float", "numeric", "decimal"]);
const DATE_TYPES = new Set(["date", "datetime", "timestamp", "timestamp with time zone", "time"]);
const JSON_TYPES = new Set(["simple-json", "json", "jsonb", "simple-array", "simple-enum-array"]);

/** Classifies a column by its declared TypeORM type. */
export function columnKind(column: ColumnMetadata): ColumnKind {
  const type = column.type;
  if (type === Number) return "number";
  if (type === Boolean) return "boolean";
  if (type === Date) return "date";
  if (typeof type === "function") return "string";
  const name = String(type).toLowerCase();
  if (INTEGER_TYPES.has(name)) return "integer";
  if (NUMBER_TYPES.has(name)) return "number";
  if (name === "boolean" || name === "bool") return "boolean";
  if (DATE_TYPES.has(name)) return "date";
  if (JSON_TYPES.has(name)) return "json";
  return "string";
}
