import { err, ok, type Result } from "neverthrow";
import type { ModuleDatabase } from "../database/module-database";
import { dbError, type DbError } from "../errors/db-error";
import { listTables } from "./list-tables";

/** A column as it exists in the database. */
export interface ColumnSchema {
  readonly name: string;
  readonly type: string;
  readonly length: string | null;
  readonly nullable: boolean;
  readonly default: string | null;
  readonly primary: boolean;
  readonly unique: boolean;
  /** True when the database generates the value (an auto-increment key, say). */
  readonly generated: boolean;
  /** How it is generated (`increment`, `uuid`, `rowid`, …), or null. */
  readonly generation_strategy: string | null;
}

/** An index of a table; unique constraints are listed here too (with `unique: true`). */
export interface IndexSchema {
  readonly name: string;
  readonly columns: readonly string[];
  readonly unique: boolean;
}

/** A foreign key of a table. */
export interface ForeignKeySchema {
  readonly name: string | null;
  readonly columns: readonly string[];
  readonly referenced_table: string;
  readonly referenced_columns: readonly string[];
  readonly on_delete: string | null;
  readonly on_update: string | null;
}

/** A CHECK constraint of a table. */
export interface CheckSchema {
  readonly name: string | null;
  readonly expression: string;
}

/**
 * Everything about one table's structure, read from the database file itself. The one
 * description of a table the framework has: `moduledb schema` prints it and the HTTP schema route
 * returns it (without sensitive columns).
 */
export interface TableSchema {
  readonly database: string;
  readonly table: string;
  readonly columns: readonly ColumnSchema[];
  readonly indexes: readonly IndexSchema[];
  readonly foreign_keys: readonly ForeignKeySchema[];
  readonly checks: readonly CheckSchema[];
}

/** The structure of a table as it exists in the file; TABLE_NOT_FOUND (naming the tables there) for any other name. */
export async function describeTable(database: ModuleDatabase, table: string): Promise<Result<TableSchema, DbError>> {
  const tables = (await listTables(database)).map((info) => info.name);
  const notFound = () => err(dbError("TABLE_NOT_FOUND", `Table '${table}' not found in database '${database.name}'. Available tables: ${tables.join(", ") || "none"}.`, database.name, { table_name: table, available_tables: tables }));
  if (!tables.includes(table)) return notFound();
  const described = await database.gate.run(async () => database.dataSource.createQueryRunner().getTable(table));
  if (described === undefined) return notFound();
  return ok({
    database: database.name,
    table,
    columns: described.columns.map((column) => ({
      name: column.name,
      type: column.type,
      length: column.length === "" || column.length === undefined ? null : String(column.length),
      nullable: column.isNullable,
      default: column.default === undefined || column.default === null ? null : String(column.default),
      primary: column.isPrimary,
      unique: column.isUnique,
      generated: column.isGenerated,
      generation_strategy: column.isGenerated ? (column.generationStrategy ?? null) : null,
    })),
    indexes: [
      ...described.indices.map((index) => ({ name: index.name ?? "", columns: index.columnNames, unique: index.isUnique })),
      ...described.uniques.map((unique) => ({ name: unique.name ?? "", columns: unique.columnNames, unique: true })),
    ],
    foreign_keys: described.foreignKeys.map((key) => ({
      name: key.name ?? null,
      columns: key.columnNames,
      referenced_table: key.referencedTableName,
      referenced_columns: key.referencedColumnNames,
      on_delete: key.onDelete ?? null,
      on_update: key.onUpdate ?? null,
    })),
    checks: described.checks.map((check) => ({ name: check.name ?? null, expression: check.expression ?? "" })),
  });
}
