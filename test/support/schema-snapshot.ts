import Database from "better-sqlite3";

/** One table's shape as SQLite reports it, independent of how its CREATE statement was written. */
export interface TableShape {
  readonly columns: readonly unknown[];
  readonly indexes: readonly unknown[];
  readonly foreignKeys: readonly unknown[];
}

function isUserTable(name: string): boolean {
  return !name.startsWith("sqlite_") && !name.startsWith("moduledb_") && !name.startsWith("temporary_") && name !== "typeorm_metadata";
}

/** Reads the shape of every user table of a SQLite file through its own read-only connection. */
export function schemaSnapshot(file: string): Record<string, TableShape> {
  const db = new Database(file, { readonly: true });
  try {
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((row) => row.name).filter(isUserTable);
    return Object.fromEntries(
      tables.map((table) => {
        const columns = db.prepare("SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info(?) ORDER BY cid").all(table);
        const indexList = db.prepare("SELECT name, \"unique\", origin FROM pragma_index_list(?) ORDER BY name").all(table) as { name: string; unique: number; origin: string }[];
        const indexes = indexList.map((index) => ({
          ...index,
          // Auto-index names depend on creation order; the columns and uniqueness are what matter.
          name: index.origin === "c" ? index.name : `(${index.origin})`,
          columns: (db.prepare("SELECT name FROM pragma_index_info(?) ORDER BY seqno").all(index.name) as { name: string }[]).map((column) => column.name),
        }));
        const foreignKeys = db.prepare('SELECT "table", "from", "to", on_delete FROM pragma_foreign_key_list(?) ORDER BY "from"').all(table);
        return [table, { columns, indexes: indexes.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))), foreignKeys }];
      }),
    );
  } finally {
    db.close();
  }
}

/** Every row of a table, ordered by rowid, through a read-only connection. */
export function tableRows(file: string, table: string): Record<string, unknown>[] {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare(`SELECT * FROM "${table}" ORDER BY rowid`).all() as Record<string, unknown>[];
  } finally {
    db.close();
  }
}

/** Names of every table in a SQLite file, internal ones included. */
export function allTables(file: string): string[] {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((row) => row.name);
  } finally {
    db.close();
  }
}
