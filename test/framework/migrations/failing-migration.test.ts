import { readdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bootFramework, MigrationService, MIGRATIONS_TABLE } from "../../../framework";
import { expectOk } from "../../support/expect-ok";
import { allTables, schemaSnapshot, tableRows, type TableShape } from "../../support/schema-snapshot";
import { SHOP_V1 } from "../../support/shop-module";
import { createTempRoot, type TempRoot } from "../../support/temp-root";

const FAILING_MIGRATION = `import type { MigrationInterface, QueryRunner } from "typeorm";

export class HalfDone1700000000001 implements MigrationInterface {
  name = "HalfDone1700000000001";
  description = "adds a table and rows, then breaks";

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE TABLE "coupons" ("id" integer PRIMARY KEY, "code" varchar(20) NOT NULL)');
    await queryRunner.query('INSERT INTO "coupons" ("id", "code") VALUES (1, \\'WELCOME\\')');
    await queryRunner.query('UPDATE "customers" SET "name" = "name" || \\' (migrated)\\'');
    await queryRunner.query('ALTER TABLE "customers" ADD COLUMN "tier" integer NOT NULL');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE "coupons"');
  }
}
`;

describe("migrations: a migration that fails halfway", () => {
  let temp: TempRoot;
  let file: string;
  let before: Record<string, TableShape>;
  let customersBefore: Record<string, unknown>[];

  beforeAll(async () => {
    temp = createTempRoot("mig-fail");
    temp.writeModuleFile("shop", "db-models.ts", SHOP_V1);
    const framework = await bootFramework({ rootDir: temp.root, dataDir: temp.dataDir });
    const shop = expectOk(framework.databases.get("shop"));
    await shop.transaction(async (manager) => {
      await manager.query(`INSERT INTO customers (name, email) VALUES ('Ada', 'ada@example.com'), ('Linus', NULL)`);
    });
    file = shop.file;
    await framework.shutdown();
    before = schemaSnapshot(file);
    customersBefore = tableRows(file, "customers");
    temp.writeModuleFile("shop", "migrations/1700000000001-half-done.ts", FAILING_MIGRATION);
  });
  afterAll(() => temp.remove());

  it("leaves the database unchanged and names the migration and the statement (through the service)", async () => {
    // Boot itself tries the pending migration first: the database is refused with the same error.
    const framework = await bootFramework({ rootDir: temp.root, dataDir: temp.dataDir });
    try {
      const entry = framework.databases.entry("shop");
      expect(entry?.state).toBe("refused");
      expect(entry?.problems.join("\n")).toContain("Migration 'HalfDone1700000000001' of database 'shop' failed");

      const [report] = expectOk(await framework.resolve(MigrationService).run("shop"));
      expect(report?.applied).toEqual([]);
      expect(report?.failure?.code).toBe("MIGRATION_FAILED");
      expect(report?.failure?.migration).toBe("HalfDone1700000000001");
      expect(report?.failure?.statement).toBe('ALTER TABLE "customers" ADD COLUMN "tier" integer NOT NULL');
      expect(report?.failure?.message).toContain("HalfDone1700000000001");
      expect(report?.failure?.message).toContain("Cannot add a NOT NULL column with default value NULL");
    } finally {
      await framework.shutdown();
    }
    expect(schemaSnapshot(file)).toEqual(before);
    expect(allTables(file)).not.toContain("coupons");
    expect(tableRows(file, "customers")).toEqual(customersBefore);
    expect(tableRows(file, MIGRATIONS_TABLE)).toEqual([]);
  });

  it("strict boot fails naming the migration", async () => {
    await expect(bootFramework({ rootDir: temp.root, dataDir: temp.dataDir, strict: true })).rejects.toThrow(/HalfDone1700000000001/);
    expect(schemaSnapshot(file)).toEqual(before);
  });
});

describe("migrations: generate on an up-to-date database", () => {
  const temp = createTempRoot("mig-uptodate");
  afterAll(() => temp.remove());

  it("writes nothing and says so", async () => {
    temp.copyModule("ciap");
    const folder = path.join(temp.root, "modules", "ciap", "migrations");
    const shipped = readdirSync(folder);
    const framework = await bootFramework({ rootDir: temp.root, dataDir: temp.dataDir });
    try {
      const generated = expectOk(await framework.resolve(MigrationService).generate("ciap", "nothing changed"));
      expect(generated.written).toBe(false);
      expect(generated.file).toBeUndefined();
      expect(generated.plan.changes).toEqual([]);
      // Only the migrations the module ships: nothing new was written.
      expect(readdirSync(folder)).toEqual(shipped);
    } finally {
      await framework.shutdown();
    }
  });

  it("rejects an unknown database naming the available ones", async () => {
    temp.copyModule("ciap");
    const framework = await bootFramework({ rootDir: temp.root, dataDir: temp.dataDir });
    try {
      const result = await framework.resolve(MigrationService).generate("nope", "x");
      expect(result.isErr() && result.error.code).toBe("DATABASE_NOT_FOUND");
      expect(result.isErr() && result.error.message).toContain("ciap, framework");
    } finally {
      await framework.shutdown();
    }
  });
});
