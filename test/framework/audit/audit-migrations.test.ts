import { readFileSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bootFramework, CrudService, MigrationService } from "../../../framework";
import { expectOk } from "../../support/expect-ok";
import { allTables, tableRows } from "../../support/schema-snapshot";
import { SHOP_V1, SHOP_V2 } from "../../support/shop-module";
import { createTempRoot, type TempRoot } from "../../support/temp-root";

/** Removes the audit table from a file, as a database made before the audit trail existed has none. */
function dropAudit(file: string): void {
  const db = new Database(file);
  try {
    db.exec("DROP TABLE moduledb_audit");
  } finally {
    db.close();
  }
}

describe("the audit table is the framework's: created by the boot's additive step, never part of a module migration", () => {
  let v1: TempRoot;
  let v2: TempRoot;
  let file: string;

  beforeAll(async () => {
    v1 = createTempRoot("audit-mig-v1");
    v2 = createTempRoot("audit-mig-v2");
    v1.writeModuleFile("shop", "db-models.ts", SHOP_V1);
    v2.writeModuleFile("shop", "db-models.ts", SHOP_V2);
    const framework = await bootFramework({ rootDir: v1.root, dataDir: v1.dataDir });
    file = expectOk(framework.databases.get("shop")).file;
    expectOk(await framework.resolve(CrudService).create("shop", "customers", { name: "Ada", email: "ada@example.com" }));
    await framework.shutdown();
  });

  afterAll(() => {
    v1.remove();
    v2.remove();
  });

  it("an existing database without the table gets it at the next boot, its rows untouched", async () => {
    dropAudit(file);
    const customers = tableRows(file, "customers");
    const framework = await bootFramework({ rootDir: v1.root, dataDir: v1.dataDir });
    try {
      expect(framework.databases.entry("shop")?.state).toBe("ready");
      expect(framework.automaticChanges.filter((change) => change.database === "shop").map((change) => change.description)).toEqual(["Created table 'moduledb_audit'."]);
      expect(tableRows(file, "customers")).toEqual(customers);
      // It is not a table of the module: no listing, no drift.
      expect(expectOk(framework.databases.get("shop")).tableNames()).not.toContain("moduledb_audit");
    } finally {
      await framework.shutdown();
    }
  });

  it("a database refused for a destructive change: no drift and no generated statement about the audit table; running the migration brings it", async () => {
    dropAudit(file);
    const framework = await bootFramework({ rootDir: v2.root, dataDir: v1.dataDir });
    try {
      expect(framework.databases.entry("shop")?.state).toBe("refused");
      expect(allTables(file)).not.toContain("moduledb_audit");
      const migrations = framework.resolve(MigrationService);
      const status = expectOk(await migrations.status("shop"))[0];
      expect(status?.drift.length).toBeGreaterThan(0);
      expect(status?.drift.map((change) => change.table)).not.toContain("moduledb_audit");
      const generated = expectOk(await migrations.generate("shop", "v2 without audit"));
      expect(generated.written).toBe(true);
      expect(generated.plan.changes.map((change) => change.table)).not.toContain("moduledb_audit");
      const source = readFileSync(generated.file ?? "", "utf8");
      expect(source).toContain("customers");
      expect(source.split("\n").filter((line) => line.includes("moduledb_audit"))).toEqual([]);
      expect(path.basename(generated.file ?? "")).toMatch(/v2-without-audit/);
    } finally {
      await framework.shutdown();
    }
    const migrated = await bootFramework({ rootDir: v2.root, dataDir: v1.dataDir });
    try {
      expect(migrated.databases.entry("shop")?.state).toBe("ready");
      expect(allTables(file)).toContain("moduledb_audit");
      expect(expectOk(await migrated.resolve(MigrationService).status("shop"))[0]?.drift).toEqual([]);
      expectOk(await migrated.resolve(CrudService).create("shop", "customers", { name: "Linus", email_address: "linus@example.com" }));
      const db = new Database(file, { readonly: true });
      try {
        expect(db.prepare("SELECT table_name, operation FROM moduledb_audit").all()).toEqual([{ table_name: "customers", operation: "create" }]);
      } finally {
        db.close();
      }
    } finally {
      await migrated.shutdown();
    }
  });
});
