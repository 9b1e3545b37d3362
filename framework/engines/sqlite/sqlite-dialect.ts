import type { QueryRunner } from "typeorm";
import type { BindableValue, CatalogForeignKeyViolation, SqlDialect, SqlRunner, TableDefinition, ValueBinder } from "../sql-dialect";
import { quoteName, timestampText, upsertSql } from "../sql-common";

/** `$."a"[0]."b"`: SQLite's JSON path; keys are checked by the caller to hold no quote. */
function sqlitePath(path: readonly (string | number)[]): string {
  return `$${path.map((segment) => (typeof segment === "number" ? `[${segment}]` : `."${segment}"`)).join("")}`;
}

async function tableDefinition(runner: QueryRunner, table: string): Promise<TableDefinition | undefined> {
  const [row] = (await runner.query(`SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?`, [table])) as { sql: string }[];
  if (row === undefined) return undefined;
  const indexes = (await runner.query(`SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL ORDER BY name`, [table])) as { sql: string }[];
  const columns = (await runner.query(`SELECT name FROM pragma_table_info(?) ORDER BY cid`, [table])) as { name: string }[];
  return { create: [row.sql], indexes: indexes.map((index) => index.sql), columns: columns.map((column) => column.name) };
}

/** SQLite (3.38+ for the JSON functions, bundled with better-sqlite3). */
export const SQLITE_DIALECT: SqlDialect = {
  engine: "sqlite",
  driverTypes: ["better-sqlite3", "sqlite"],
  quote: quoteName,
  // `?` is SQLite's own placeholder.
  positional: (sql) => sql,
  bindValue: (value: BindableValue) => {
    // better-sqlite3 refuses booleans; Dates are stored as the UTC text TypeORM's SQLite driver writes.
    if (typeof value === "boolean") return value ? 1 : 0;
    if (value instanceof Date) return timestampText(value);
    return value;
  },
  readRow: (row) => row,
  boolean: (value) => (value ? "1" : "0"),
  now: () => "strftime('%Y-%m-%d %H:%M:%f', 'now')",
  storedSize: (expression) => `octet_length(${expression})`,
  toTimestamp: (expression) => `strftime('%Y-%m-%d %H:%M:%f', ${expression})`,
  // A write transaction (BEGIN IMMEDIATE) already holds the database's only write lock.
  lockRows: "",
  upsert: upsertSql,
  // lower() on both sides: SQLite's own LIKE folds ASCII only and obeys PRAGMA case_sensitive_like.
  ilike: (expression, pattern, bag: ValueBinder) => `lower(${expression}) LIKE lower(${bag.bind(pattern)}) ESCAPE '\\'`,
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
  // json_extract returns SQL values typed as in the document, so one form serves every kind.
  jsonPath: (expression, path, bag) => `json_extract(${expression}, ${bag.bind(sqlitePath(path))})`,
  catalog: {
    tableNames: async (runner: SqlRunner) =>
      ((await runner.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name")) as { name: string }[]).map((row) => row.name),
    tableDefinition,
    foreignKeyViolations: async (runner) => (await runner.query("PRAGMA foreign_key_check")) as CatalogForeignKeyViolation[],
    /**
     * - `foreign_keys = OFF`: dropping the old copy of a parent table must not cascade into its children.
     * - `legacy_alter_table = ON`: renaming a table must not rewrite other tables' REFERENCES clauses
     *   (TypeORM's `down` renames the live table to `temporary_*` first; without this, every child
     *   table would end up pointing at the temporary copy that is dropped a moment later).
     * Both are set outside any transaction: SQLite ignores `foreign_keys` inside one.
     */
    enterMigrationMode: async (runner) => {
      await runner.query("PRAGMA foreign_keys = OFF");
      await runner.query("PRAGMA legacy_alter_table = ON");
    },
    leaveMigrationMode: async (runner) => {
      await runner.query("PRAGMA legacy_alter_table = OFF");
      await runner.query("PRAGMA foreign_keys = ON");
    },
    autoIncrementKey: (column) => `${quoteName(column)} INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL`,
    bytesType: "BLOB",
  },
};
