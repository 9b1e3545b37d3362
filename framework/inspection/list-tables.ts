import type { ModuleDatabase } from "../database/module-database";
import { quoteIdentifier } from "../crud/sql-identifier";
import { isInternalTable } from "../schema/schema-diff";

/** One table as it exists in a database file. */
export interface TableInfo {
  readonly name: string;
  readonly rows: number;
  readonly columns: number;
  /** True when one of the database's entities declares it. */
  readonly declared: boolean;
}

/** The tables really present in a database (internal ones left out), with row and column counts. */
export async function listTables(database: ModuleDatabase): Promise<TableInfo[]> {
  const declared = new Set(database.tableNames());
  return database.gate.run(async () => {
    const names = ((await database.dataSource.query(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)) as { name: string }[]).map((row) => row.name).filter((name) => !isInternalTable(name));
    const tables: TableInfo[] = [];
    for (const name of names) {
      const [count] = (await database.dataSource.query(`SELECT COUNT(*) AS n FROM ${quoteIdentifier(name)}`)) as [{ n: number }];
      const [columns] = (await database.dataSource.query(`SELECT COUNT(*) AS n FROM pragma_table_info(?)`, [name])) as [{ n: number }];
      tables.push({ name, rows: count.n, columns: columns.n, declared: declared.has(name) });
    }
    return tables;
  });
}
