import type Database from "better-sqlite3";

/** A named index and its columns, as SQLite reports them. */
export interface IndexShape {
  readonly name: string;
  readonly table: string;
  readonly columns: string[];
  readonly unique: boolean;
  /** `c` = CREATE INDEX, `u` = UNIQUE constraint, `pk` = primary key. */
  readonly origin: string;
}

/** A foreign key as SQLite reports it. */
export interface ForeignKeyShape {
  readonly table: string;
  readonly column: string;
  readonly references: string;
  readonly onDelete: string;
}

/**
 * User tables of a database file, sorted: SQLite's, TypeORM's and the framework's own (the
 * migrations table, the audit trail every database holds) excluded, so a module's schema compares
 * verbatim with its seed.
 */
export function userTables(db: Database.Database): string[] {
  return (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT IN ('typeorm_metadata', 'moduledb_migrations', 'moduledb_audit') ORDER BY name").all() as { name: string }[]).map((row) => row.name);
}

/** Every index of every user table, with its columns. */
export function indexes(db: Database.Database): IndexShape[] {
  return userTables(db).flatMap((table) =>
    (db.pragma(`index_list("${table}")`) as { name: string; unique: number; origin: string }[]).map((index) => ({
      name: index.name,
      table,
      unique: index.unique === 1,
      origin: index.origin,
      columns: (db.pragma(`index_info("${index.name}")`) as { name: string }[]).map((column) => column.name),
    })),
  );
}

/** Every foreign key of every user table. */
export function foreignKeys(db: Database.Database): ForeignKeyShape[] {
  return userTables(db).flatMap((table) =>
    (db.pragma(`foreign_key_list("${table}")`) as { from: string; table: string; on_delete: string }[]).map((key) => ({ table, column: key.from, references: key.table, onDelete: key.on_delete })),
  );
}

/** The CHECK expressions in a table's CREATE statement, parentheses balanced, in order. */
export function checkExpressions(db: Database.Database, table: string): string[] {
  const sql = (db.prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?").get(table) as { sql: string }).sql;
  const found: string[] = [];
  let from = 0;
  for (;;) {
    const start = sql.indexOf("CHECK (", from);
    if (start < 0) return found;
    let depth = 0;
    let index = start + "CHECK ".length;
    for (; index < sql.length; index += 1) {
      if (sql[index] === "(") depth += 1;
      if (sql[index] === ")") depth -= 1;
      if (depth === 0) break;
    }
    found.push(sql.slice(start + "CHECK (".length, index));
    from = index;
  }
}

/** Column facts of one table: name → { type, notNull, default }. */
export function columns(db: Database.Database, table: string): Record<string, { type: string; notNull: boolean; default: string | null }> {
  return Object.fromEntries(
    (db.pragma(`table_info("${table}")`) as { name: string; type: string; notnull: number; dflt_value: string | null }[]).map((column) => [column.name, { type: column.type.toLowerCase(), notNull: column.notnull === 1, default: column.dflt_value }]),
  );
}
