import type { ForeignKeyViolation } from "../../inspection/integrity-report";
import type { CatalogReader } from "./inspect-postgres";
import { quoteIdentifier } from "./postgres-connection";

/** What the checks of one schema found. */
export interface PostgresChecks {
  /** `["ok"]`, or one line per problem. */
  readonly integrity: string[];
  readonly foreign_key_violations: ForeignKeyViolation[];
}

interface ForeignKeyRow {
  name: string;
  child: string;
  parent: string;
  child_columns: string[];
  parent_columns: string[];
}

interface CheckRow {
  name: string;
  table_name: string;
  definition: string;
}

const SCHEMA_OID = "(SELECT oid FROM pg_namespace WHERE nspname = current_schema())";

/** Indexes the server marked unusable (a failed concurrent build) and constraints never validated: the catalog disagreeing with the data. */
const CATALOG_PROBLEMS = `
SELECT 'index ' || i.relname || ' on ' || t.relname || ' is invalid (a failed build); rebuild it with REINDEX' AS problem
FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
WHERE t.relnamespace = ${SCHEMA_OID} AND NOT (x.indisvalid AND x.indisready)
UNION ALL
SELECT 'constraint ' || conname || ' on ' || conrelid::regclass::text || ' is NOT VALID (existing rows were never checked)'
FROM pg_constraint WHERE connamespace = ${SCHEMA_OID} AND NOT convalidated
ORDER BY 1`;

const FOREIGN_KEYS = `
SELECT c.conname AS name, t.relname AS child, p.relname AS parent,
  (SELECT array_agg(a.attname ORDER BY k.i) FROM unnest(c.conkey) WITH ORDINALITY AS k(n, i) JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n) AS child_columns,
  (SELECT array_agg(a.attname ORDER BY k.i) FROM unnest(c.confkey) WITH ORDINALITY AS k(n, i) JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n) AS parent_columns
FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_class p ON p.oid = c.confrelid
WHERE c.contype = 'f' AND c.connamespace = ${SCHEMA_OID}
ORDER BY t.relname, c.conname`;

const CHECKS = `
SELECT c.conname AS name, t.relname AS table_name, pg_get_constraintdef(c.oid) AS definition
FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
WHERE c.contype = 'c' AND c.connamespace = ${SCHEMA_OID}
ORDER BY t.relname, c.conname`;

/** Rows of the child table whose key (all of it set) matches no parent row; at most 100 per constraint. */
function orphanQuery(key: ForeignKeyRow): string {
  const child = quoteIdentifier(key.child);
  const parent = quoteIdentifier(key.parent);
  const set = key.child_columns.map((column) => `c.${quoteIdentifier(column)} IS NOT NULL`).join(" AND ");
  const match = key.child_columns.map((column, index) => `p.${quoteIdentifier(key.parent_columns[index] ?? column)} = c.${quoteIdentifier(column)}`).join(" AND ");
  return `SELECT count(*)::int AS n FROM ${child} c WHERE ${set} AND NOT EXISTS (SELECT 1 FROM ${parent} p WHERE ${match})`;
}

/** `CHECK ((price > 0))` → `(price > 0)`; undefined for shapes it does not recognise. */
function checkExpression(definition: string): string | undefined {
  return /^CHECK \((.*)\)(?: NOT VALID)?$/s.exec(definition)?.[1];
}

/** The schema's tables, for reading each one through. */
const TABLES = `SELECT c.relname AS name FROM pg_class c WHERE c.relnamespace = ${SCHEMA_OID} AND c.relkind IN ('r', 'p') ORDER BY c.relname`;

/**
 * Reads every row of every table of the schema once — the counterpart of SQLite's `quick_check`:
 * a damaged page makes the server fail the read (XX001/XX002) instead of returning wrong rows.
 * `["ok"]` when every table reads through; a failure the server reports about its storage becomes a
 * line, anything else (the server unreachable) is thrown.
 */
export async function readEveryTable(reader: CatalogReader): Promise<string[]> {
  const problems: string[] = [];
  for (const { name } of (await reader.query(TABLES)) as { name: string }[]) {
    try {
      // Every column of every row, out-of-line values included: an index-only count could skip the heap.
      await reader.query(`SELECT sum(length(r::text)) FROM ${quoteIdentifier(name)} r`);
    } catch (error) {
      const code = (error as { code?: unknown; driverError?: { code?: unknown } }).driverError?.code ?? (error as { code?: unknown }).code;
      if (code !== "XX001" && code !== "XX002") throw error;
      problems.push(`table ${name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return problems.length === 0 ? ["ok"] : problems;
}

/**
 * The constraint and catalog check of one schema, the PostgreSQL counterpart of SQLite's integrity and foreign key
 * checks: catalog consistency (invalid indexes, constraints never validated) and every foreign key
 * and CHECK constraint validated again against the rows (the server enforces them, but rows loaded
 * with triggers disabled or under `NOT VALID` escaped them).
 */
export async function checkPostgres(reader: CatalogReader): Promise<PostgresChecks> {
  const problems = ((await reader.query(CATALOG_PROBLEMS)) as { problem: string }[]).map((row) => row.problem);
  const violations: ForeignKeyViolation[] = [];
  const keys = (await reader.query(FOREIGN_KEYS)) as ForeignKeyRow[];
  for (const [index, key] of keys.entries()) {
    const [row] = (await reader.query(orphanQuery(key))) as { n: number }[];
    const orphans = row?.n ?? 0;
    if (orphans === 0) continue;
    problems.push(`foreign key ${key.name}: ${orphans} row(s) of ${key.child} reference no row of ${key.parent}`);
    violations.push({ table: key.child, rowid: null, parent: key.parent, fkid: index });
  }
  for (const check of (await reader.query(CHECKS)) as CheckRow[]) {
    const expression = checkExpression(check.definition);
    if (expression === undefined) continue;
    const [row] = (await reader.query(`SELECT count(*)::int AS n FROM ${quoteIdentifier(check.table_name)} WHERE (${expression}) IS FALSE`)) as { n: number }[];
    if ((row?.n ?? 0) > 0) problems.push(`check constraint ${check.name}: ${row?.n} row(s) of ${check.table_name} break it`);
  }
  return { integrity: problems.length === 0 ? ["ok"] : problems, foreign_key_violations: violations };
}
