import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bootFramework, CrudService, type Framework, type ModuleDatabase } from "../../../framework";
import { simpleModels } from "../../support/module-sources";
import { createTempRoot } from "../../support/temp-root";

describe("ModuleDatabase.snapshot", () => {
  const temp = createTempRoot("snapshot");
  temp.writeModuleFile("shop", "db-models.ts", simpleModels("shop", ["orders"]));
  let framework: Framework;
  let shop: ModuleDatabase;

  beforeAll(async () => {
    framework = await bootFramework({ rootDir: temp.root, dataDir: temp.dataDir });
    shop = framework.databases.get("shop")._unsafeUnwrap();
    const created = await framework.resolve(CrudService).createMany("shop", "orders", [{ title: "a" }, { title: "b" }]);
    expect(created._unsafeUnwrap().inserted).toBe(2);
  });
  afterAll(async () => {
    await framework.shutdown();
    temp.remove();
  });

  const count = async (manager: { query(sql: string): Promise<unknown> }) => ((await manager.query("SELECT COUNT(*) AS n FROM orders")) as [{ n: number }])[0].n;

  it("keeps one consistent view while another process commits between its queries", async () => {
    const other = new Database(shop.file);
    try {
      const seen = await shop.snapshot(async (manager) => {
        const before = await count(manager);
        other.prepare("INSERT INTO orders (title) VALUES ('written elsewhere meanwhile')").run();
        const after = await count(manager);
        return { before, after };
      });
      expect(seen._unsafeUnwrap()).toEqual({ before: 2, after: 2 });
      expect(await count(shop.dataSource.manager)).toBe(3);
    } finally {
      other.close();
    }
  });

  it("refuses writes inside the snapshot, writes nothing, and leaves the connection writable", async () => {
    const before = await count(shop.dataSource.manager);
    const attempted = await shop.snapshot((manager) => manager.query("INSERT INTO orders (title) VALUES ('not allowed')"));
    expect(attempted.isErr()).toBe(true);
    expect(attempted._unsafeUnwrapErr().details).toMatchObject({ sqlite_code: "SQLITE_READONLY" });
    expect(await count(shop.dataSource.manager)).toBe(before);

    const afterwards = await framework.resolve(CrudService).create("shop", "orders", { title: "fine again" });
    expect(afterwards.isOk()).toBe(true);
    expect(await count(shop.dataSource.manager)).toBe(before + 1);
  });

  it("gives CrudService.list a count and a page from the same moment", async () => {
    const page = await framework.resolve(CrudService).list("shop", "orders", { pageSize: 1000 });
    expect(page._unsafeUnwrap().totalRecords).toBe(page._unsafeUnwrap().records.length);
  });
});
