import { mkdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { bootFramework, CrudService, loadSettings, type Framework } from "../../../framework";
import { createBackup } from "../../../framework/backup/create-backup";
import { restoreBackup } from "../../../framework/backup/restore-backup";
import { describeEachEngine } from "../../support/each-engine";
import { SHOP_MODELS } from "../../support/shop-models";
import { createTempRoot, type TempRoot } from "../../support/temp-root";

/**
 * Backups of a module database on PostgreSQL go through its engine (pg_dump of its schema), with
 * the same manifest, checks and refusals as SQLite file backups. Only the PostgreSQL run of the
 * suite has something to show; the SQLite run checks the same database is a `.db` file copy.
 */
describeEachEngine("backup and restore through the engine", (engine) => {
  let temp: TempRoot;
  let framework: Framework | undefined;
  const outDir = () => path.join(temp.root, "backups");
  const settings = () => loadSettings({ rootDir: temp.root, dataDir: temp.dataDir })._unsafeUnwrap();
  const skus = async (booted: Framework) => ((await booted.resolve(CrudService).list("shop", "products", { pageSize: 100, sort: [{ column: "sku", direction: "asc" }] }))._unsafeUnwrap()).records.map((record) => String(record.sku));

  beforeAll(async () => {
    temp = createTempRoot("engine-backup");
    temp.writeModuleFile("shop", "db-models.ts", SHOP_MODELS);
    await engine.use(["shop"]);
    framework = await bootFramework({ rootDir: temp.root, dataDir: temp.dataDir });
    const crud = framework.resolve(CrudService);
    (await crud.create("shop", "categories", { name: "tools" }))._unsafeUnwrap();
    (await crud.createMany("shop", "products", ["A", "B", "C"].map((sku) => ({ sku, name: sku, price: 1.5, quantity: 1, active: true, category_id: 1 }))))._unsafeUnwrap();
  });

  afterAll(async () => {
    await framework?.shutdown();
    temp.remove();
    await engine.release();
  });

  it("backs the database up while it serves, restores it all or nothing, and refuses while servers hold it", async () => {
    const report = (await createBackup({ dataDir: temp.dataDir, outDir: outDir(), database: "shop", settings: settings(), declared: ["framework", "shop"] }))._unsafeUnwrap();
    const [entry] = report.manifest.databases;
    expect(entry?.file).toBe(engine.kind === "postgres" ? "shop.pgdump" : "shop.db");
    expect(entry?.engine ?? "sqlite").toBe(engine.kind);
    expect(entry?.integrity_check).toEqual(["ok"]);
    expect(entry?.row_counts).toMatchObject({ products: 3, categories: 1 });

    const crud = (framework as Framework).resolve(CrudService);
    (await crud.create("shop", "products", { sku: "D", name: "D", price: 2, quantity: 1, active: true, category_id: 1 }))._unsafeUnwrap();
    const held = await restoreBackup({ backupDir: report.dir, dataDir: temp.dataDir, database: "shop", settings: settings() });
    expect(held._unsafeUnwrapErr().code).toBe("DATABASE_IN_USE");
    expect(await skus(framework as Framework)).toEqual(["A", "B", "C", "D"]);

    await (framework as Framework).shutdown();
    framework = undefined;
    const restored = (await restoreBackup({ backupDir: report.dir, dataDir: temp.dataDir, database: "shop", settings: settings() }))._unsafeUnwrap();
    expect(restored.map((database) => database.name)).toEqual(["shop"]);
    framework = await bootFramework({ rootDir: temp.root, dataDir: temp.dataDir });
    expect(await skus(framework)).toEqual(["A", "B", "C"]);
  });

  it("a backup goes back only to the engine it was taken from; without pg_dump a PostgreSQL database is NOT_SUPPORTED", async () => {
    const report = (await createBackup({ dataDir: temp.dataDir, outDir: outDir(), database: "shop", settings: settings(), declared: ["framework", "shop"] }))._unsafeUnwrap();
    const elsewhere = path.join(temp.root, "elsewhere");
    mkdirSync(elsewhere, { recursive: true });
    const otherKind = engine.kind === "postgres" ? { engines: { fallback: { kind: "sqlite" as const, dataDir: elsewhere }, byDatabase: {} } } : { engines: { fallback: { kind: "postgres" as const, url: "postgres://nobody@127.0.0.1:1/none", display: "postgres://nobody@127.0.0.1:1/none" }, byDatabase: {} } };
    const crossed = await restoreBackup({ backupDir: report.dir, dataDir: elsewhere, database: "shop", settings: otherKind });
    expect(crossed._unsafeUnwrapErr().code).toBe("NOT_SUPPORTED");
    expect(crossed._unsafeUnwrapErr().message).toContain(`is a ${engine.kind} copy`);

    if (engine.kind !== "postgres") return;
    process.env.PG_BIN_DIR = path.join(temp.root, "no-tools-here");
    try {
      const refused = await createBackup({ dataDir: temp.dataDir, outDir: outDir(), database: "shop", settings: settings(), declared: ["framework", "shop"] });
      expect(refused._unsafeUnwrapErr().code).toBe("NOT_SUPPORTED");
      expect(refused._unsafeUnwrapErr().message).toContain("pg_dump");
    } finally {
      delete process.env.PG_BIN_DIR;
    }
  });
});
