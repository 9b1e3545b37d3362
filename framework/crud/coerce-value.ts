import { err, ok, type Result } from "neverthrow";
import type { ColumnMetadata } from "typeorm/metadata/ColumnMetadata";
import { columnKind, type ColumnKind } from "./column-kind";

/**
 * Where a value comes from. Written values must already have the column's type; filter values
 * usually come from a URL, so numeric and boolean text is accepted there.
 */
export type ValueSource = "write" | "filter";

function parseDate(value: unknown): Date | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value;
  if (typeof value !== "string" || value.trim() === "") return undefined;
  // Only ISO-8601-like text: Date.parse alone accepts too many surprising forms.
  if (!/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(value.trim())) return undefined;
  const date = new Date(value.trim());
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function coerceByKind(kind: ColumnKind, value: unknown, source: ValueSource): Result<unknown, string> {
  switch (kind) {
    case "integer":
    case "number": {
      const number = typeof value === "number" ? value : source === "filter" && typeof value === "string" && /^-?\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : undefined;
      if (number === undefined || !Number.isFinite(number)) return err(`expected a number, got ${JSON.stringify(value)}`);
      if (kind === "integer" && !Number.isInteger(number)) return err(`expected an integer, got ${number}`);
      return ok(number);
    }
    case "boolean": {
      if (typeof value === "boolean") return ok(value);
      if (source === "filter" && (value === "true" || value === "1" || value === 1)) return ok(true);
      if (source === "filter" && (value === "false" || value === "0" || value === 0)) return ok(false);
      return err(`expected true or false, got ${JSON.stringify(value)}`);
    }
    case "date": {
      const date = parseDate(value);
      return date === undefined ? err(`expected an ISO-8601 date, got ${JSON.stringify(value)}`) : ok(date);
    }
    case "json":
      return ok(value);
    case "string":
      if (typeof value === "string") return ok(value);
      if (source === "filter" && typeof value === "number") return ok(String(value));
      return err(`expected text, got ${JSON.stringify(value)}`);
  }
}

/** Checks (and for filters, converts) one value for a column. `null` is accepted only for nullable columns. */
export function coerceValue(column: ColumnMetadata, value: unknown, source: ValueSource): Result<unknown, string> {
  if (value === null) return column.isNullable ? ok(null) : err("the column is NOT NULL");
  if (value === undefined) return err("a value is required");
  const kind = columnKind(column);
  if (kind === "json" && String(column.type) === "simple-array") {
    return Array.isArray(value) && value.every((item) => typeof item === "string") ? ok(value) : err("expected an array of strings");
  }
  if (column.enum !== undefined && !column.enum.map(String).includes(String(value))) {
    return err(`expected one of ${column.enum.map(String).join(", ")}, got ${JSON.stringify(value)}`);
  }
  return coerceByKind(kind, value, source);
}
