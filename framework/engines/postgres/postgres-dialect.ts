import type { QueryRunner } from "typeorm";
import type { BindableValue, JsonScalarKind, SqlDialect, SqlRunner, TableDefinition, ValueBinder } from "../sql-dialect";
import { quoteName, timestampText, upsertSql } from "../sql-common";
import { numberedPlaceholders } from "./numbered-placeholders";

/** `{"a","0","b"}`: a text[] literal for `#>`/`#>>`; keys are checked by the caller (letters, digits, space, `_-$@`). */
function pathArray(path: readonly (string | number)[]): string {
  return `{${path.map((segment) => `"${String(segment)}"`).join(",")}}`;
}

/** The JSON type `jsonb_typeof` names for values of each kind the query language compares. */
const JSON_TYPE: Record<JsonScalarKind, string> = { number: "number", text: "string", boolean: "boolean" };
const CAST: Record<JsonScalarKind, string> = { number: "numeric", text: "text", boolean: "boolean" };

function kindOf(value: unknown): JsonScalarKind {
  if (typeof value === "number") return "number";
  if (typeof value === "boolean") return "boolean";
  return "text";
}

/** The schema a runner's DataSource works in: the one it was opened with, else the session's current one. */
function schemaExpression(runner: QueryRunner, bind: (value: unknown) => string): string {
  const schema = (runner.connection.options as { schema?: string }).schema;
  return schema === undefined ? "current_schema()" : bind(schema);
}

async function tableNames(runner: QueryRunner): Promise<string[]> {
  const values: unknown[] = [];
  const schema = schemaExpression(runner, (value) => {
    values.push(value);
    return `$${values.length}`;
  });
  const rows = (await runner.query(`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = ${schema} AND table_type = 'BASE TABLE' ORDER BY table_name`, values)) as { name: string }[];
  return rows.map((row) => row.name);
}

/**
 * PostgreSQL keeps no CREATE text, so the table is read back through TypeORM's own catalog reader
 * and its CREATE statements are produced in TypeORM's "SQL in memory" mode (nothing is executed).
 */
async function tableDefinition(runner: QueryRunner, table: string): Promise<TableDefinition | undefined> {
  const live = await runner.getTable(table);
  if (live === undefined) return undefined;
  runner.enableSqlMemory();
  try {
    await runner.createTable(live, false, true, true);
    const statements = runner.getMemorySql().upQueries.map((query) => query.query);
    const isIndex = (sql: string) => /^CREATE (UNIQUE )?INDEX/i.test(sql);
    return { create: statements.filter((sql) => !isIndex(sql)), indexes: statements.filter(isIndex), columns: live.columns.map((column) => column.name) };
  } finally {
    runner.disableSqlMemory();
  }
}

/** PostgreSQL 12+. JSON columns may be `text` (TypeORM `simple-json`) or `jsonb`: both are cast to `jsonb`. */
export const POSTGRES_DIALECT: SqlDialect = {
  engine: "postgres",
  driverTypes: ["postgres"],
  quote: quoteName,
  positional: numberedPlaceholders,
  // Dates go as the same UTC text SQLite stores; the session runs in UTC, so a timestamptz reads it exactly.
  bindValue: (value: BindableValue) => (value instanceof Date ? timestampText(value) : value),
  readRow: (row) => {
    let copy: Record<string, unknown> | undefined;
    for (const [key, value] of Object.entries(row)) {
      if (value instanceof Date) {
        copy ??= { ...row };
        copy[key] = timestampText(value);
      }
    }
    return (copy ?? row) as typeof row;
  },
  boolean: (value) => (value ? "TRUE" : "FALSE"),
  now: () => "CURRENT_TIMESTAMP",
  // octet_length takes text and bytes only; pg_column_size takes any stored value.
  storedSize: (expression) => `pg_column_size(${expression})`,
  toTimestamp: (expression) => `CAST(${expression} AS timestamptz)`,
  // Read committed: the rows read must stay locked until the transaction writes them back.
  lockRows: " FOR UPDATE",
  upsert: (table, columns, conflict, update) => numberedPlaceholders(upsertSql(table, columns, conflict, update)),
  ilike: (expression, pattern, bag: ValueBinder) => `${expression} ILIKE CAST(${bag.bind(pattern)} AS text) ESCAPE '\\'`,
  // strpos/left/right compare characters exactly, where ILIKE/LIKE would treat % and _ as wildcards.
  contains: (expression, text, bag) => `strpos(${expression}, CAST(${bag.bind(text)} AS text)) > 0`,
  startsWith: (expression, text, bag) => {
    const value = `CAST(${bag.bind(text)} AS text)`;
    return `left(${expression}, char_length(${value})) = ${value}`;
  },
  endsWith: (expression, text, bag) => {
    const value = `CAST(${bag.bind(text)} AS text)`;
    return `right(${expression}, char_length(${value})) = ${value}`;
  },
  jsonArrayHas: (expression, value, bag) => {
    const kind = kindOf(value);
    return `(jsonb_typeof(CAST(${expression} AS jsonb)) = 'array' AND CAST(${expression} AS jsonb) @> jsonb_build_array(CAST(${bag.bind(value)} AS ${CAST[kind]})))`;
  },
  listHas: (expression, value, bag) => `strpos(',' || ${expression} || ',', ',' || CAST(${bag.bind(value)} AS text) || ',') > 0`,
  jsonPath: (expression, path, bag, kind) => {
    const document = `CAST(${expression} AS jsonb)`;
    const at = `CAST(${bag.bind(pathArray(path))} AS text[])`;
    if (kind === undefined) return `(${document} #>> ${at})`;
    // Like SQLite's json_extract, a value of another JSON type never equals (or orders with) the bound one.
    return `(CASE WHEN jsonb_typeof(${document} #> ${at}) = '${JSON_TYPE[kind]}' THEN CAST(${document} #>> ${at} AS ${CAST[kind]}) END)`;
  },
  catalog: {
    tableNames: (runner: QueryRunner) => tableNames(runner),
    tableDefinition,
    // Every foreign key is checked when a statement (or, deferred, its transaction) ends: none can dangle.
    foreignKeyViolations: async () => [],
    // DDL is transactional and foreign keys never cascade on DROP TABLE: no mode to enter.
    enterMigrationMode: async (_runner: SqlRunner) => undefined,
    leaveMigrationMode: async (_runner: SqlRunner) => undefined,
    autoIncrementKey: (column) => `${quoteName(column)} integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY`,
    bytesType: "bytea",
  },
};
