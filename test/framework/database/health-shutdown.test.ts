import { existsSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { bootFramework, CrudService, DB_ERROR_CODES } from "../../../framework";
import { simpleModels } from "../../support/module-sources";
import { createTempRoot } from "../../support/temp-root";
import { sqliteConnection } from "../../../framework/engines/sqlite/sqlite-connection";

function walSize(file: string): number {
  return existsSync(`${file}-wal`) ? statSync(`${file}-wal`).size : 0;
}

describe("health and shutdown", () => {
  it("reports health with SELECT 1 and, on demand, PRAGMA quick_check", async () => {
    const temp = createTempRoot("health");
    temp.writeModuleFile("shop", "db-models.ts", simpleModels("shop", ["orders"]));
    const framework = await bootFramework({ rootDir: temp.root, dataDir: temp.dataDir });
    try {
      const shop = framework.databases.get("shop")._unsafeUnwrap();
      const quick = await shop.health();
      expect(quick).toMatchObject({ database: "shop", healthy: true });
      expect(quick.quickCheck).toBeUndefined();
      expect(quick.latencyMs).toBeGreaterThanOrEqual(0);
      const deep = await shop.health(true);
      expect(deep).toMatchObject({ database: "shop", healthy: true, quickCheck: ["ok"] });
      expect(framework.healthy).toBe(true);
      expect(framework.databases.list().map((entry) => [entry.name, entry.state])).toEqual([
        ["framework", "ready"],
        ["shop", "ready"],
      ]);
      // A health probe waits its turn behind an open transaction instead of reading through it.
      const order: string[] = [];
      const transaction = shop.transaction(async (manager) => {
        await manager.query("INSERT INTO orders (title) VALUES ('x')");
        await new Promise((resolve) => setTimeout(resolve, 20));
        order.push("transaction");
      });
      const probe = shop.health().then((health) => (order.push("health"), health));
      await Promise.all([transaction, probe]);
      expect(order).toEqual(["transaction", "health"]);
    } finally {
      await framework.shutdown();
      temp.remove();
    }
  });

  it("checkpoints the WAL, closes every DataSource, and can be called twice", async () => {
    const temp = createTempRoot("shutdown");
    temp.writeModuleFile("shop", "db-models.ts", simpleModels("shop", ["orders"]));
    const framework = await bootFramework({ rootDir: temp.root, dataDir: temp.dataDir });
    const shop = framework.databases.get("shop")._unsafeUnwrap();
    const crud = framework.resolve(CrudService);
    // Keep SQLite from checkpointing on its own so the WAL certainly holds these rows.
    sqliteConnection(shop).pragma("wal_autocheckpoint = 0");
    const rows = Array.from({ length: 2000 }, (_, i) => ({ title: `order ${i}`, note: "x".repeat(100) }));
    expect((await crud.createMany("shop", "orders", rows)).isOk()).toBe(true);
    expect(walSize(shop.file)).toBeGreaterThan(0);

    const databases = framework.databases.open();
    await Promise.all([framework.shutdown(), framework.shutdown()]);
    await framework.shutdown();

    for (const database of databases) {
      expect(database.dataSource.isInitialized).toBe(false);
      expect(walSize(database.file)).toBe(0);
    }
    expect(framework.databases.list().map((entry) => [entry.name, entry.state])).toEqual([
      ["framework", "closed"],
      ["shop", "closed"],
    ]);
    expect(framework.databases.get("shop")._unsafeUnwrapErr()).toMatchObject({ code: "DATABASE_UNAVAILABLE", details: { state: "closed" } });
    expect((await crud.count("shop", "orders"))._unsafeUnwrapErr().code).toBe("DATABASE_UNAVAILABLE");
    expect((await shop.health()).healthy).toBe(false);

    // Everything acknowledged is in the main file after the checkpoint, and the shutdown was recorded.
    const connection = new Database(shop.file, { readonly: true });
    const frameworkFile = databases.find((database) => database.name === "framework")?.file ?? "";
    const boots = new Database(frameworkFile, { readonly: true });
    try {
      expect(connection.prepare("SELECT COUNT(*) AS n FROM orders").get()).toEqual({ n: 2000 });
      const [boot] = boots.prepare("SELECT shutdown_at FROM framework_boots").all() as { shutdown_at: string | null }[];
      expect(boot?.shutdown_at).not.toBeNull();
    } finally {
      connection.close();
      boots.close();
      temp.remove();
    }
  });
});

describe("boot and shutdown edges", () => {
  it("rejects boot with DATABASE_OPEN_FAILED when the data folder cannot be created", async () => {
    const temp = createTempRoot("bad-data-dir");
    try {
      temp.writeModuleFile("shop", "db-models.ts", simpleModels("shop", ["orders"]));
      const notAFolder = path.join(temp.root, "not-a-folder");
      writeFileSync(notAFolder, "a file where the data folder should be");
      await expect(bootFramework({ rootDir: temp.root, dataDir: notAFolder })).rejects.toMatchObject({
        name: "BootError",
        code: "DATABASE_OPEN_FAILED",
        message: expect.stringContaining(notAFolder),
      });
    } finally {
      temp.remove();
    }
  });

  it("keeps every write acknowledged while shutdown was under way", async () => {
    const temp = createTempRoot("shutdown-in-flight");
    temp.writeModuleFile("shop", "db-models.ts", simpleModels("shop", ["orders"]));
    const framework = await bootFramework({ rootDir: temp.root, dataDir: temp.dataDir });
    const crud = framework.resolve(CrudService);
    const file = framework.databases.get("shop")._unsafeUnwrap().file;
    try {
      const writes = Array.from({ length: 30 }, (_, i) => crud.create("shop", "orders", { title: `in flight ${i}` }));
      const stopping = framework.shutdown();
      const late = crud.create("shop", "orders", { title: "asked after shutdown began" });
      const results = await Promise.all([...writes, late]);
      await stopping;
      const acknowledged = results.flatMap((result) => (result.isOk() ? [String(result.value.title)] : []));
      expect(acknowledged.length).toBeGreaterThanOrEqual(30);
      // Anything refused was refused with a Result, never thrown.
      for (const result of results) if (result.isErr()) expect(DB_ERROR_CODES).toContain(result.error.code);
      const connection = new Database(file, { readonly: true });
      try {
        const stored = (connection.prepare("SELECT title FROM orders").all() as { title: string }[]).map((row) => row.title);
        expect(stored.sort()).toEqual(acknowledged.sort());
      } finally {
        connection.close();
      }
    } finally {
      temp.remove();
    }
  });
});
