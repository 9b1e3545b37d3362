import { err, ok, type Result } from "neverthrow";
import type { ColumnMetadata } from "typeorm/metadata/ColumnMetadata";
import { columnKind, type ColumnKind } from "./column-kind";

/**
 * Where a value comes from. Written values must already have the column's type; filter values
 * usually come from a URL, so numeric and boolean text is accepted there. Keys (record ids, often
 * from a URL path) accept numeric text only in its one canonical spelling, so `5.0`, ` 5` or `05`
 * never address record 5.
 */
export type ValueSource = "write" | "filter" | "key";

/** The one spelling of an integer: no sign '+', no leading zeros, no spaces, no decimal part. */
const CANONICAL_INTEGER = /^-?[1-9][0-9]*$|^0$/;
/** The same for other numbers, with an optional decimal part. */
const CANONICAL_NUMBER = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?$/;

function numberFromText(kind: "integer" | "number", value: unknown, source: ValueSource): number | undefined {
  if (typeof value !== "string") return undefined;
  if (source === "filter") return /^-?\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : undefined;
  // Canonical means the spelling the number itself prints as: `5`, never `5.0` (a generated key is a `number` column).
  if (source === "key") return (kind === "integer" ? CANONICAL_INTEGER : CANONICAL_NUMBER).test(value) && String(Number(value)) === value ? Number(value) : undefined;
  return undefined;
}

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
      const number = typeof value === "number" ? value : numberFromText(kind, value, source);
      if (source === "key" && number === undefined && typeof value === "string") {
        return err(`${JSON.stringify(value)} is not a canonical number (write it as the number prints: no spaces, '+', leading zeros, exponent or trailing decimal zeros)`);
      }
      if (number === undefined || !Number.isFinite(number)) return err(`expected a number, got ${JSON.stringify(value)}`);
      if (kind === "integer" && !Number.isInteger(number)) return err(`expected an integer, got ${number}`);
      if (kind === "integer" && source === "key" && !Number.isSafeInteger(number)) return err(`${number} is beyond the integers JavaScript represents exactly`);
      return ok(number);
    }
    case "boolean": {
      if (typeof value === "boolean") return ok(value);
      if (source !== "write" && (value === "true" || value === "1" || value === 1)) return ok(true);
      if (source !== "write" && (value === "false" || value === "0" || value === 0)) return ok(false);
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
      if (source !== "write" && typeof value === "number") return ok(String(value));
      return err(`expected text, got ${JSON.stringify(value)}`);
  }
}

/** Checks (and for filters, converts) values for one column; built once per column (see {@link coerceValue}). */
export type Coercion = (value: unknown, source: ValueSource) => Result<unknown, string>;

const coercions = new WeakMap<ColumnMetadata, Coercion>();

/** The column's {@link Coercion}, its kind and allowed values worked out once and kept with the column's metadata. */
export function coercionOf(column: ColumnMetadata): Coercion {
  let coercion = coercions.get(column);
  if (coercion === undefined) {
    const kind = columnKind(column);
    const list = kind === "json" && String(column.type) === "simple-array";
    const allowed = column.enum === undefined ? undefined : new Set(column.enum.map(String));
    const allowedText = column.enum?.map(String).join(", ");
    const nullable = column.isNullable;
    coercion = (value, source) => {
      if (value === null) return nullable ? ok(null) : err("the column is NOT NULL");
      if (value === undefined) return err("a value is required");
      if (list) return Array.isArray(value) && value.every((item) => typeof item === "string") ? ok(value) : err("expected an array of strings");
      if (allowed !== undefined && !allowed.has(String(value))) return err(`expected one of ${allowedText}, got ${JSON.stringify(value)}`);
      return coerceByKind(kind, value, source);
    };
    coercions.set(column, coercion);
  }
  return coercion;
}

/** Checks (and for filters, converts) one value for a column. `null` is accepted only for nullable columns. */
export function coerceValue(column: ColumnMetadata, value: unknown, source: ValueSource): Result<unknown, string> {
  return coercionOf(column)(value, source);
}
