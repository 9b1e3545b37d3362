import type { DataSource } from "typeorm";
import type { ParameterBag } from "./sql-fragment";

/**
 * The SQL that differs between engines, for the query language's operators. Everything else the
 * query layer writes (comparisons, IN, BETWEEN, LIKE … ESCAPE, NULLS FIRST/LAST, GROUP BY) is
 * common to SQLite and PostgreSQL. An engine adds its own with {@link registerDialect}.
 * `expression` is an already-quoted column (or JSON path) expression; values go through `bag`.
 */
export interface SqlDialect {
  /** Case-insensitive LIKE of a user pattern (`%`, `_`, escaped with `\`). */
  ilike(expression: string, pattern: string, bag: ParameterBag): string;
  /** Case-sensitive substring tests of plain text (no wildcards). */
  contains(expression: string, text: string, bag: ParameterBag): string;
  startsWith(expression: string, text: string, bag: ParameterBag): string;
  endsWith(expression: string, text: string, bag: ParameterBag): string;
  /** A JSON array column holds `value` as one of its elements. */
  jsonArrayHas(expression: string, value: unknown, bag: ParameterBag): string;
  /** A comma-separated list column (TypeORM `simple-array`) holds `value`. */
  listHas(expression: string, value: string, bag: ParameterBag): string;
  /** The scalar at `path` inside a JSON column, comparable with bound numbers and text. */
  jsonPath(expression: string, path: readonly (string | number)[], bag: ParameterBag): string;
}

/** `$."a"[0]."b"`: SQLite's JSON path; keys are checked by the caller to hold no quote. */
function sqlitePath(path: readonly (string | number)[]): string {
  return `$${path.map((segment) => (typeof segment === "number" ? `[${segment}]` : `."${segment}"`)).join("")}`;
}

/** SQLite (3.38+ for the JSON functions, bundled with better-sqlite3). */
export const SQLITE_DIALECT: SqlDialect = {
  // lower() on both sides: SQLite's own LIKE folds ASCII only and obeys PRAGMA case_sensitive_like.
  ilike: (expression, pattern, bag) => `lower(${expression}) LIKE lower(${bag.bind(pattern)}) ESCAPE '\\'`,
  // instr/substr compare bytes exactly, where LIKE would fold ASCII case.
  contains: (expression, text, bag) => `instr(${expression}, ${bag.bind(text)}) > 0`,
  startsWith: (expression, text, bag) => {
    const value = bag.bind(text);
    return `substr(${expression}, 1, length(${value})) = ${value}`;
  },
  endsWith: (expression, text, bag) => {
    const value = bag.bind(text);
    return `(length(${expression}) >= length(${value}) AND substr(${expression}, -length(${value})) = ${value})`;
  },
  jsonArrayHas: (expression, value, bag) => `EXISTS (SELECT 1 FROM json_each(${expression}) WHERE json_each.value = ${bag.bind(value)})`,
  listHas: (expression, value, bag) => `instr(',' || ${expression} || ',', ',' || ${bag.bind(value)} || ',') > 0`,
  jsonPath: (expression, path, bag) => `json_extract(${expression}, ${bag.bind(sqlitePath(path))})`,
};

const dialects = new Map<string, SqlDialect>([
  ["better-sqlite3", SQLITE_DIALECT],
  ["sqlite", SQLITE_DIALECT],
]);

/** Makes `dialect` the one used for DataSources of this TypeORM driver type (e.g. `postgres`). */
export function registerDialect(driverType: string, dialect: SqlDialect): void {
  dialects.set(driverType, dialect);
}

/** The dialect of a DataSource's engine; SQLite's when the engine registered none. */
export function dialectOf(dataSource: DataSource): SqlDialect {
  return dialects.get(String(dataSource.options.type)) ?? SQLITE_DIALECT;
}

/** Escapes LIKE wildcards so user text matches only itself (used with `ESCAPE '\'`). */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}
