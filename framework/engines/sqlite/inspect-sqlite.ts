import type Database from "better-sqlite3";
import type { LiveColumn, LiveIndex, LiveTable } from "../engine";

function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

interface TableInfoRow {
  name: string;
  type: string;
  notnull: number;
  pk: number;
}

interface IndexListRow {
  name: string;
  unique: number;
}

/** Tables (SQLite's own left out), columns and indexes as `sqlite_master` and the table pragmas report them. */
export function inspectSqlite(connection: Database.Database): LiveTable[] {
  const tables = connection.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name").all() as { name: string }[];
  return tables.map(({ name }) => {
    const columns: LiveColumn[] = (connection.prepare(`PRAGMA table_info(${quoteIdentifier(name)})`).all() as TableInfoRow[]).map((row) => ({
      name: row.name,
      type: row.type,
      nullable: row.notnull === 0 && row.pk === 0,
      primary: row.pk > 0,
    }));
    const indexes: LiveIndex[] = (connection.prepare(`PRAGMA index_list(${quoteIdentifier(name)})`).all() as IndexListRow[]).map((row) => ({
      name: row.name,
      unique: row.unique === 1,
      columns: (connection.prepare(`PRAGMA index_info(${quoteIdentifier(row.name)})`).all() as { name: string }[]).map((column) => column.name),
    }));
    return { name, columns, indexes };
  });
}
