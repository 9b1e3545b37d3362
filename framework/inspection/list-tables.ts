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
    const live = (await database.session.inspect()).filter((table) => !isInternalTable(table.name));
    const tables: TableInfo[] = [];
    for (const { name, columns } of live) {
      const [count] = (await database.dataSource.query(`SELECT COUNT(*) AS n FROM ${quoteIdentifier(name)}`)) as [{ n: number | string }];
      tables.push({ name, rows: Number(count.n), columns: columns.length, declared: declared.has(name) });
    }
    return tables;
  });
}
