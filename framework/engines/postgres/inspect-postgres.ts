import type { LiveColumn, LiveIndex, LiveTable } from "../engine";

/** Anything that runs a statement: a pinned runner or a pg client. */
export interface CatalogReader {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

interface ColumnRow {
  table_name: string;
  column_name: string;
  type: string;
  nullable: boolean;
  primary: boolean;
}

interface IndexRow {
  table_name: string;
  index_name: string;
  unique: boolean;
  columns: string[];
}

/** Every column of the schema's tables, with its type as PostgreSQL spells it and whether it is part of the primary key. */
const COLUMNS = `
SELECT c.relname AS table_name, a.attname AS column_name, format_type(a.atttypid, a.atttypmod) AS type,
       NOT a.attnotnull AS nullable,
       EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisprimary AND a.attnum = ANY (i.indkey)) AS primary
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')
ORDER BY c.relname, a.attnum`;

/** Every index of the schema's tables except primary keys (which SQLite does not list either), with its columns in order. */
const INDEXES = `
SELECT t.relname AS table_name, i.relname AS index_name, x.indisunique AS unique,
       array_agg(a.attname ORDER BY k.position) AS columns
FROM pg_index x
JOIN pg_class i ON i.oid = x.indexrelid
JOIN pg_class t ON t.oid = x.indrelid
JOIN pg_namespace n ON n.oid = t.relnamespace
CROSS JOIN LATERAL unnest(x.indkey) WITH ORDINALITY AS k(attnum, position)
JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
WHERE n.nspname = current_schema() AND NOT x.indisprimary
GROUP BY t.relname, i.relname, x.indisunique
ORDER BY t.relname, i.relname`;

/** Tables, columns and indexes of the connection's schema, read from `pg_catalog`. */
export async function inspectPostgres(reader: CatalogReader): Promise<LiveTable[]> {
  const columns = (await reader.query(COLUMNS)) as ColumnRow[];
  const indexes = (await reader.query(INDEXES)) as IndexRow[];
  const tables = new Map<string, { columns: LiveColumn[]; indexes: LiveIndex[] }>();
  const tableOf = (name: string) => {
    let table = tables.get(name);
    if (table === undefined) tables.set(name, (table = { columns: [], indexes: [] }));
    return table;
  };
  for (const row of columns) tableOf(row.table_name).columns.push({ name: row.column_name, type: row.type, nullable: row.nullable, primary: row.primary });
  for (const row of indexes) tableOf(row.table_name).indexes.push({ name: row.index_name, unique: row.unique, columns: row.columns });
  return [...tables.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([name, table]) => ({ name, ...table }));
}

/**
 * One number for the whole shape of a schema — its tables, columns (name, type, nullability,
 * default), indexes and constraints — read from `pg_catalog`. PostgreSQL has no counter like
 * SQLite's `schema_version`, so any change by any process shows up as a different hash instead.
 * Takes one short catalog read; the session caches it (see `PostgresSession.schemaVersion`).
 */
const SCHEMA_SHAPE = `
SELECT md5(coalesce(string_agg(item, '|' ORDER BY item), '')) AS shape FROM (
  SELECT c.relname || ':' || c.relkind || ':' || coalesce(a.attname || ' ' || format_type(a.atttypid, a.atttypmod) || ' ' || a.attnotnull::text || ' ' || coalesce(pg_get_expr(d.adbin, d.adrelid), ''), '') AS item
  FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
  LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'v')
  LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
  WHERE n.nspname = current_schema()
  UNION ALL
  SELECT 'constraint:' || conname || ':' || pg_get_constraintdef(oid) FROM pg_constraint WHERE connamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema())
) shape`;

/** The schema's shape as a number (the first 48 bits of its hash): what the registry compares to notice schema changes. */
export async function schemaShape(reader: CatalogReader): Promise<number> {
  const [row] = (await reader.query(SCHEMA_SHAPE)) as { shape: string }[];
  return Number.parseInt((row?.shape ?? "0").slice(0, 12), 16);
}
