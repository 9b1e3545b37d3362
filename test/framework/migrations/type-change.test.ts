import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { bootFramework } from "../../../framework";
import { MigrationService } from "../../../framework/migrations/migration-service";
import { createTempRoot } from "../../support/temp-root";

const store = (priceType: string) => `import { Column, Entity, Index, PrimaryGeneratedColumn } from "typeorm";
export const DATABASE_NAME = "store";
@Entity({ name: "items" })
@Index("idx_items_name", ["name"])
export class Item {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: "varchar", length: 100 }) name: string;
  @Column({ type: "${priceType}" }) price: number;
}
`;

function columnType(file: string, column: string): string {
  const connection = new Database(file, { readonly: true });
  try {
    return (connection.prepare("SELECT type FROM pragma_table_info('items') WHERE name = ?").get(column) as { type: string }).type.toLowerCase();
  } finally {
    connection.close();
  }
}

const rebuilds = (statements: readonly string[]) => statements.filter((sql) => /^CREATE TABLE "(temporary_)?items"/.test(sql)).length;

describe("a generated migration for a column type change", () => {
  const v1 = createTempRoot("type-change-v1");
  const v2 = createTempRoot("type-change-v2");
  afterAll(() => {
    v1.remove();
    v2.remove();
  });

  it("rebuilds the table once in up and once in down, keeping the rows both ways", async () => {
    v1.writeModuleFile("store", "db-models.ts", store("integer"));
    const first = await bootFramework({ rootDir: v1.root, dataDir: v1.dataDir });
    await first.databases.get("store")._unsafeUnwrap().transaction((manager) => manager.query(`INSERT INTO items (name, price) VALUES ('pen', 2), ('ink', 7)`));
    await first.shutdown();

    v2.writeModuleFile("store", "db-models.ts", store("real"));
    const second = await bootFramework({ rootDir: v2.root, dataDir: v1.dataDir });
    try {
      expect(second.databases.entry("store")?.state).toBe("refused");
      const migrations = second.resolve(MigrationService);
      const generated = (await migrations.generate("store", "price as real"))._unsafeUnwrap();
      const up = generated.plan.up.map((statement) => statement.sql);
      const down = generated.plan.down.map((statement) => statement.sql);
      expect(rebuilds(up)).toBe(1);
      expect(rebuilds(down)).toBe(1);
      expect(up.filter((sql) => sql.startsWith("CREATE INDEX"))).toEqual(['CREATE INDEX "idx_items_name" ON "items" ("name") ']);

      const run = (await migrations.run("store"))._unsafeUnwrap();
      expect(run[0]?.failure).toBeUndefined();
      expect(second.databases.entry("store")?.state).toBe("ready");
      const file = path.join(v1.dataDir, "store.db");
      expect(columnType(file, "price")).toBe("real");
      const rows = await second.databases.get("store")._unsafeUnwrap().dataSource.query("SELECT name, price FROM items ORDER BY id");
      expect(rows).toEqual([{ name: "pen", price: 2 }, { name: "ink", price: 7 }]);

      const reverted = (await migrations.revert("store"))._unsafeUnwrap();
      expect(reverted.reverted.map((entry) => entry.name)).toEqual([generated.name]);
      expect(columnType(file, "price")).toBe("integer");
    } finally {
      await second.shutdown();
    }
    const connection = new Database(path.join(v1.dataDir, "store.db"), { readonly: true });
    expect(connection.prepare("SELECT name, price FROM items ORDER BY id").all()).toEqual([{ name: "pen", price: 2 }, { name: "ink", price: 7 }]);
    expect(connection.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'items' AND sql IS NOT NULL").all()).toEqual([{ name: "idx_items_name" }]);
    connection.close();
  });
});
