import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bootFramework, MigrationService, MIGRATIONS_TABLE } from "../../../framework";
import { allTables, schemaSnapshot, tableRows, type TableShape } from "../../support/schema-snapshot";
import { SHOP_V1, SHOP_V2 } from "../../support/shop-module";
import { expectOk } from "../../support/expect-ok";
import { createTempRoot, type TempRoot } from "../../support/temp-root";

describe("migrations: entity change → generate → run → revert", () => {
  // Two roots, one data folder: the same database seen by the old and the new version of the module.
  let v1: TempRoot;
  let v2: TempRoot;
  let file: string;
  let before: Record<string, TableShape>;
  let customersBefore: Record<string, unknown>[];
  let ordersBefore: Record<string, unknown>[];
  let notesBefore: Record<string, unknown>[];

  beforeAll(async () => {
    v1 = createTempRoot("mig-v1");
    v2 = createTempRoot("mig-v2");
    v1.writeModuleFile("shop", "db-models.ts", SHOP_V1);
    v2.writeModuleFile("shop", "db-models.ts", SHOP_V2);
    const framework = await bootFramework({ rootDir: v1.root, dataDir: v1.dataDir });
    const shop = expectOk(framework.databases.get("shop"));
    await shop.transaction(async (manager) => {
      await manager.query(`INSERT INTO customers (name, email) VALUES ('Ada', 'ada@example.com'), ('Linus', 'linus@example.com'), ('Grace', NULL)`);
      await manager.query(`INSERT INTO orders (customer_id, total) VALUES (1, 10.5), (1, 99), (2, 3.25), (3, 42)`);
      await manager.query(`INSERT INTO legacy_notes (body) VALUES ('first note'), ('second note')`);
    });
    file = shop.file;
    await framework.shutdown();
    before = schemaSnapshot(file);
    customersBefore = tableRows(file, "customers");
    ordersBefore = tableRows(file, "orders");
    notesBefore = tableRows(file, "legacy_notes");
  });
  afterAll(() => {
    v1.remove();
    v2.remove();
  });

  it("refuses the changed entities at boot and names the generate command", async () => {
    const framework = await bootFramework({ rootDir: v2.root, dataDir: v1.dataDir });
    try {
      const entry = framework.databases.entry("shop");
      expect(entry?.state).toBe("refused");
      expect(entry?.problems[0]).toContain("npm run db -- migration:generate shop <message>");
    } finally {
      await framework.shutdown();
    }
  });

  it("generates a migration that renames, adds, indexes and archives; running it keeps the data; reverting restores schema and data", async () => {
    const framework = await bootFramework({ rootDir: v2.root, dataDir: v1.dataDir });
    const migrations = framework.resolve(MigrationService);
    let generatedName: string;
    try {
      const generated = expectOk(await migrations.generate("shop", "rename email, add loyalty, drop legacy notes"));
      expect(generated.written).toBe(true);
      expect(path.dirname(generated.file ?? "")).toBe(path.join(v2.root, "modules", "shop", "migrations"));
      expect(path.basename(generated.file ?? "")).toMatch(/^\d{13}-rename-email-add-loyalty-drop-legacy-notes\.ts$/);
      expect(generated.plan.renames.map((rename) => `${rename.table}.${rename.from}->${rename.to}`)).toEqual(["customers.email->email_address"]);
      expect(generated.plan.droppedTables).toEqual(["legacy_notes"]);
      const source = readFileSync(generated.file ?? "", "utf8");
      expect(source).toContain('RENAME COLUMN \\"email\\" TO \\"email_address\\"');
      expect(source).not.toMatch(/DROP COLUMN/i);
      generatedName = generated.name ?? "";

      // Generating changed nothing in the database.
      expect(schemaSnapshot(file)).toEqual(before);
      expect(allTables(file)).not.toContain("customers_email_address");
    } finally {
      await framework.shutdown();
    }

    // Next boot runs the pending migration before the additive step: the database becomes ready.
    const migrated = await bootFramework({ rootDir: v2.root, dataDir: v1.dataDir });
    try {
      expect(migrated.databases.entry("shop")?.state).toBe("ready");
      expect(migrated.resolve(MigrationService).bootOutcome("shop")?.applied).toEqual([generatedName]);
      const status = expectOk(await migrated.resolve(MigrationService).status("shop"))[0];
      expect(status?.applied.map((entry) => entry.name)).toEqual([generatedName]);
      expect(status?.applied[0]?.description).toBe("rename email, add loyalty, drop legacy notes");
      expect(status?.pending).toEqual([]);
      expect(status?.drift).toEqual([]);
    } finally {
      await migrated.shutdown();
    }

    const after = schemaSnapshot(file);
    expect(Object.keys(after).sort()).toEqual(["customers", "orders"]);
    expect((after.customers?.columns as { name: string }[]).map((column) => column.name)).toEqual(["id", "name", "email_address", "loyalty_points"]);
    expect(after.orders?.indexes).toContainEqual(expect.objectContaining({ name: "idx_orders_total", columns: ["total"] }));
    expect(tableRows(file, "customers")).toEqual(customersBefore.map(({ email, ...rest }) => ({ ...rest, email_address: email, loyalty_points: 0 })));
    // The customers table was rebuilt; with foreign keys off during the migration its orders were not cascaded away.
    expect(tableRows(file, "orders")).toEqual(ordersBefore);

    const reverting = await bootFramework({ rootDir: v2.root, dataDir: v1.dataDir });
    try {
      const reverted = expectOk(await reverting.resolve(MigrationService).revert("shop"));
      expect(reverted.reverted.map((entry) => entry.name)).toEqual([generatedName]);
    } finally {
      await reverting.shutdown();
    }
    expect(schemaSnapshot(file)).toEqual(before);
    expect(tableRows(file, "customers")).toEqual(customersBefore);
    expect(tableRows(file, "orders")).toEqual(ordersBefore);
    expect(tableRows(file, "legacy_notes")).toEqual(notesBefore);
    expect(allTables(file).filter((table) => table.startsWith("moduledb_dropped_"))).toEqual([]);
    expect(tableRows(file, MIGRATIONS_TABLE)).toEqual([]);

    // The old module version boots again on the reverted database.
    const old = await bootFramework({ rootDir: v1.root, dataDir: v1.dataDir });
    try {
      expect(old.databases.entry("shop")?.state).toBe("ready");
    } finally {
      await old.shutdown();
    }
  });
});
