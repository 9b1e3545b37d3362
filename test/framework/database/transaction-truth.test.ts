import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bootFramework, CrudService, type Framework, type ModuleDatabase } from "../../../framework";
import { runnerTransaction } from "../../../framework/engines/sqlite/typeorm-internals";
import { simpleModels } from "../../support/module-sources";
import { createTempRoot, type TempRoot } from "../../support/temp-root";
import { sqliteConnection } from "../../../framework/engines/sqlite/sqlite-connection";

/** Ids of `orders` as another connection sees them: only what really committed. */
function committedIds(file: string): Set<number> {
  const reader = new Database(file, { readonly: true });
  try {
    return new Set((reader.prepare("SELECT id FROM orders").all() as { id: number }[]).map((row) => row.id));
  } finally {
    reader.close();
  }
}

/** Caps the file at its current size plus `spare` pages, so the next large writes fail with SQLITE_FULL. */
function capPages(db: ModuleDatabase, spare: number): void {
  const pages = sqliteConnection(db).pragma("page_count", { simple: true }) as number;
  sqliteConnection(db).pragma(`max_page_count = ${pages + spare}`);
}

describe("transaction state after SQLITE_FULL (PRAGMA max_page_count)", () => {
  let temp: TempRoot;
  let framework: Framework;
  let db: ModuleDatabase;
  let crud: CrudService;

  beforeAll(async () => {
    temp = createTempRoot("tx-truth");
    temp.writeModuleFile("shop", "db-models.ts", simpleModels("shop", ["orders"]));
    framework = await bootFramework({ rootDir: temp.root, dataDir: temp.dataDir });
    db = framework.databases.get("shop")._unsafeUnwrap();
    crud = framework.resolve(CrudService);
  });

  afterAll(async () => {
    await framework.shutdown();
    temp.remove();
  });

  it("every acknowledged write is committed, failures say DISK_FULL, and writes resume once space frees", async () => {
    capPages(db, 6);
    const note = "n".repeat(3_000);
    const acknowledged: number[] = [];
    const codes = new Map<string, number>();
    for (let attempt = 0; attempt < 60; attempt += 1) {
      const created = await crud.create("shop", "orders", { title: `full-${attempt}`, note });
      if (created.isOk()) acknowledged.push(created.value.id as number);
      else codes.set(created.error.code, (codes.get(created.error.code) ?? 0) + 1);
    }
    // SQLite rolled each failing transaction back itself; TypeORM must not be left believing one is open.
    expect(runnerTransaction(db.dataSource.createQueryRunner())).toEqual({ active: false, depth: 0 });
    expect(sqliteConnection(db).inTransaction).toBe(false);
    expect([...codes.keys()]).toEqual(["DISK_FULL"]);
    expect(codes.get("DISK_FULL")).toBeGreaterThan(40);
    expect(db.condition.fault).toMatchObject({ code: "DISK_FULL" });
    const failed = await crud.create("shop", "orders", { title: "one more", note });
    expect(failed._unsafeUnwrapErr()).toMatchObject({ code: "DISK_FULL", database: "shop", details: { sqlite_code: "SQLITE_FULL" } });
    expect(failed._unsafeUnwrapErr().message).toContain("'shop'");

    // Reads keep working while the file cannot grow.
    expect((await crud.count("shop", "orders"))._unsafeUnwrap()).toBe(acknowledged.length);

    // Space frees: the very next write commits, in this process, without a restart.
    sqliteConnection(db).pragma("max_page_count = 1073741823");
    const after = await crud.create("shop", "orders", { title: "after", note });
    acknowledged.push(after._unsafeUnwrap().id as number);
    expect(db.condition.fault).toBeUndefined();

    const committed = committedIds(db.file);
    expect(acknowledged.filter((id) => !committed.has(id))).toEqual([]);
    expect(committed.size).toBe(acknowledged.length);
  });

  it("work that catches a failed statement and carries on is refused, and nothing of it commits", async () => {
    capPages(db, 2);
    const before = committedIds(db.file).size;
    const outcome = await db.transaction(async (manager) => {
      await manager.query("INSERT INTO orders (title) VALUES ('first, small')");
      try {
        await manager.query("INSERT INTO orders (title, note) VALUES ('too big', ?)", ["b".repeat(40_000)]);
      } catch {
        // Carrying on as if the transaction were still whole: SQLite has already rolled it back.
      }
      await manager.query("INSERT INTO orders (title) VALUES ('after the failure')");
      return "acknowledged?";
    });
    expect(outcome._unsafeUnwrapErr()).toMatchObject({ code: "DISK_FULL", database: "shop" });
    expect(outcome._unsafeUnwrapErr().message).toMatch(/rolled this transaction back/);
    sqliteConnection(db).pragma("max_page_count = 1073741823");
    expect(committedIds(db.file).size).toBe(before);
    expect(runnerTransaction(db.dataSource.createQueryRunner())).toEqual({ active: false, depth: 0 });
    expect((await crud.create("shop", "orders", { title: "then fine" })).isOk()).toBe(true);
  });

  it("a unit that leaves a transaction open is rolled back before the next caller gets the connection", async () => {
    const repairsBefore = db.condition.reconciliations;
    await db.gate.run(async () => {
      await db.dataSource.query("BEGIN IMMEDIATE");
      await db.dataSource.query("INSERT INTO orders (title) VALUES ('left open')");
    });
    expect(sqliteConnection(db).inTransaction).toBe(false);
    expect(db.condition.reconciliations).toBe(repairsBefore + 1);
    const count = await crud.count("shop", "orders", [{ column: "title", op: "eq", value: "left open" }]);
    expect(count._unsafeUnwrap()).toBe(0);
  });
});

describe("lock retries only where a retry cannot change meaning", () => {
  let temp: TempRoot;
  let framework: Framework;

  beforeAll(async () => {
    temp = createTempRoot("tx-retry");
    temp.writeModuleFile("shop", "db-models.ts", simpleModels("shop", ["orders"]));
    // A rollback journal makes COMMIT wait for readers: SQLITE_BUSY at COMMIT, transaction intact.
    process.env.SQLITE_JOURNAL_MODE = "DELETE";
    process.env.SQLITE_BUSY_TIMEOUT = "0";
    process.env.DATABASE_RETRY_BASE_DELAY = "20";
    try {
      framework = await bootFramework({ rootDir: temp.root, dataDir: temp.dataDir });
    } finally {
      delete process.env.SQLITE_JOURNAL_MODE;
      delete process.env.SQLITE_BUSY_TIMEOUT;
      delete process.env.DATABASE_RETRY_BASE_DELAY;
    }
  });

  afterAll(async () => {
    await framework.shutdown();
    temp.remove();
  });

  it("a COMMIT refused by a reader is retried with its transaction still open, and commits once", async () => {
    const db = framework.databases.get("shop")._unsafeUnwrap();
    const reader = new Database(db.file);
    reader.exec("BEGIN");
    reader.prepare("SELECT COUNT(*) FROM orders").get();
    setTimeout(() => reader.exec("COMMIT"), 150);
    try {
      const retriesBefore = db.stats.retries;
      const written = await db.transaction(async (manager) => manager.query("INSERT INTO orders (title) VALUES ('waited for the reader')"));
      expect(written.isOk()).toBe(true);
      expect(db.stats.retries).toBeGreaterThan(retriesBefore);
      expect(committedIds(db.file).size).toBe(1);
    } finally {
      reader.close();
    }
  });

  it("a failed BEGIN leaves TypeORM outside any transaction", async () => {
    const db = framework.databases.get("shop")._unsafeUnwrap();
    const holder = new Database(db.file);
    holder.exec("BEGIN IMMEDIATE");
    const saved = db.stats.lockedFailures;
    try {
      // Retries run out while the other connection keeps the write lock.
      const failed = await db.transaction(async (manager) => manager.query("INSERT INTO orders (title) VALUES ('never')"));
      expect(failed._unsafeUnwrapErr().code).toBe("DATABASE_LOCKED");
      expect(db.stats.lockedFailures).toBe(saved + 1);
      expect(runnerTransaction(db.dataSource.createQueryRunner())).toEqual({ active: false, depth: 0 });
    } finally {
      holder.exec("ROLLBACK");
      holder.close();
    }
    expect((await db.transaction(async (manager) => manager.query("INSERT INTO orders (title) VALUES ('now')"))).isOk()).toBe(true);
  });
});
