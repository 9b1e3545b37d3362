import { afterAll, beforeAll, expect, it } from "vitest";
import { bootFramework, CrudService, type CrudRecord, type Filter, type Framework } from "../../../framework";
import { describeEachEngine } from "../../support/each-engine";
import { SHOP_MODELS } from "../../support/shop-models";
import { createTempRoot, type TempRoot } from "../../support/temp-root";

/** 25 products with varied values, so every operator and sort has something to tell apart. */
const PRODUCTS = Array.from({ length: 25 }, (_, i) => ({
  sku: `P-${String(i).padStart(2, "0")}`,
  name: i % 3 === 0 ? `Hammer ${i}` : `Saw ${i}`,
  price: (i % 5) * 10 + 0.5,
  quantity: i,
  active: i % 2 === 0,
  released_at: i % 4 === 0 ? null : new Date(Date.UTC(2024, 0, 1 + i)),
  tags: i % 6 === 0 ? ["sale"] : null,
  category_id: i % 7 === 0 ? null : 1,
}));

type Product = (typeof PRODUCTS)[number];

describeEachEngine("CrudService happy paths", (engine) => {
  let temp: TempRoot;
  let framework: Framework;
  let crud: CrudService;

  beforeAll(async () => {
    temp = createTempRoot("crud-happy");
    temp.writeModuleFile("shop", "db-models.ts", SHOP_MODELS);
    await engine.use(["shop"]);
    framework = await bootFramework({ rootDir: temp.root, dataDir: temp.dataDir });
    crud = framework.resolve(CrudService);
    (await crud.create("shop", "categories", { name: "tools" }))._unsafeUnwrap();
    expect((await crud.createMany("shop", "products", PRODUCTS))._unsafeUnwrap()).toEqual({ inserted: PRODUCTS.length });
  });

  afterAll(async () => {
    await framework?.shutdown();
    temp.remove();
    await engine.release();
  });

  async function skus(filters: Filter[]): Promise<string[]> {
    const page = (await crud.list("shop", "products", { filters, pageSize: 1000, sort: [{ column: "sku", direction: "asc" }] }))._unsafeUnwrap();
    expect((await crud.count("shop", "products", filters))._unsafeUnwrap()).toBe(page.totalRecords);
    return page.records.map((record) => String(record.sku));
  }

  function expected(predicate: (product: Product) => boolean): string[] {
    return PRODUCTS.filter(predicate).map((product) => product.sku);
  }

  it("returns records keyed by column name with JS values (numbers, booleans, dates, JSON)", async () => {
    const record = (await crud.get("shop", "products", 1))._unsafeUnwrap();
    expect(record).toEqual({ id: 1, sku: "P-00", name: "Hammer 0", price: 0.5, quantity: 0, active: true, released_at: null, tags: ["sale"], category_id: null });
    const dated = (await crud.get("shop", "products", "2"))._unsafeUnwrap();
    expect(dated.released_at).toEqual(new Date(Date.UTC(2024, 0, 2)));
  });

  it("supports every filter operator", async () => {
    expect(await skus([{ column: "quantity", op: "eq", value: 3 }])).toEqual(expected((p) => p.quantity === 3));
    expect(await skus([{ column: "quantity", op: "eq", value: "3" }])).toEqual(expected((p) => p.quantity === 3));
    expect(await skus([{ column: "price", op: "ne", value: 10.5 }])).toEqual(expected((p) => p.price !== 10.5));
    expect(await skus([{ column: "quantity", op: "gt", value: 20 }])).toEqual(expected((p) => p.quantity > 20));
    expect(await skus([{ column: "quantity", op: "gte", value: 20 }])).toEqual(expected((p) => p.quantity >= 20));
    expect(await skus([{ column: "price", op: "lt", value: 10.5 }])).toEqual(expected((p) => p.price < 10.5));
    expect(await skus([{ column: "price", op: "lte", value: 10.5 }])).toEqual(expected((p) => p.price <= 10.5));
    expect(await skus([{ column: "quantity", op: "in", value: [1, 2, 24] }])).toEqual(expected((p) => [1, 2, 24].includes(p.quantity)));
    expect(await skus([{ column: "sku", op: "in", value: "P-01, P-03" }])).toEqual(["P-01", "P-03"]);
    expect(await skus([{ column: "quantity", op: "nin", value: [0, 1, 2] }])).toEqual(expected((p) => ![0, 1, 2].includes(p.quantity)));
    expect(await skus([{ column: "name", op: "like", value: "Hammer%" }])).toEqual(expected((p) => p.name.startsWith("Hammer")));
    expect(await skus([{ column: "released_at", op: "isnull" }])).toEqual(expected((p) => p.released_at === null));
    expect(await skus([{ column: "released_at", op: "isnull", value: false }])).toEqual(expected((p) => p.released_at !== null));
    expect(await skus([{ column: "active", op: "eq", value: true }])).toEqual(expected((p) => p.active));
    expect(await skus([{ column: "active", op: "ne", value: "true" }])).toEqual(expected((p) => !p.active));
    expect(await skus([{ column: "released_at", op: "gte", value: "2024-01-20" }])).toEqual(expected((p) => p.released_at !== null && p.released_at >= new Date(Date.UTC(2024, 0, 20))));
    // Several filters all hold at once.
    expect(await skus([{ column: "active", op: "eq", value: true }, { column: "price", op: "gt", value: 20 }, { column: "category_id", op: "isnull", value: false }])).toEqual(
      expected((p) => p.active && p.price > 20 && p.category_id !== null),
    );
  });

  it("pages with the right totals and no overlap, sorting by several columns", async () => {
    const sort = [{ column: "price", direction: "desc" as const }, { column: "quantity", direction: "asc" as const }];
    const ordered = [...PRODUCTS].sort((a, b) => b.price - a.price || a.quantity - b.quantity).map((product) => product.sku);
    const seen: string[] = [];
    for (let page = 1; page <= 3; page += 1) {
      const result = (await crud.list("shop", "products", { page, pageSize: 10, sort }))._unsafeUnwrap();
      expect(result).toMatchObject({ page, pageSize: 10, totalRecords: 25, totalPages: 3 });
      expect(result.records).toHaveLength(page < 3 ? 10 : 5);
      seen.push(...result.records.map((record: CrudRecord) => String(record.sku)));
    }
    expect(seen).toEqual(ordered);
    const defaults = (await crud.list("shop", "products", {}))._unsafeUnwrap();
    expect(defaults).toMatchObject({ page: 1, pageSize: 50, totalRecords: 25, totalPages: 1 });
    expect(defaults.records.map((record) => record.id)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    const filteredPage = (await crud.list("shop", "products", { page: 2, pageSize: 4, filters: [{ column: "active", op: "eq", value: true }], sort: [{ column: "name", direction: "asc" }] }))._unsafeUnwrap();
    // SQLite compares text byte by byte; ties fall back to the primary key (insertion order here).
    const activeByName = PRODUCTS.filter((p) => p.active)
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.quantity - b.quantity))
      .map((p) => p.name);
    expect(filteredPage).toMatchObject({ totalRecords: 13, totalPages: 4 });
    expect(filteredPage.records.map((record) => record.name)).toEqual(activeByName.slice(4, 8));
  });

  it("updates partially and returns the stored record; deletes and returns the old one", async () => {
    const before = (await crud.get("shop", "products", 5))._unsafeUnwrap();
    const updated = (await crud.update("shop", "products", 5, { price: 99.25, tags: ["new", "hot"], released_at: "2025-05-05T10:00:00Z" }))._unsafeUnwrap();
    expect(updated).toEqual({ ...before, price: 99.25, tags: ["new", "hot"], released_at: new Date("2025-05-05T10:00:00Z") });
    expect((await crud.get("shop", "products", 5))._unsafeUnwrap()).toEqual(updated);
    const cleared = (await crud.update("shop", "products", 5, { released_at: null, category_id: null }))._unsafeUnwrap();
    expect(cleared).toMatchObject({ released_at: null, category_id: null, price: 99.25 });
    const deleted = (await crud.delete("shop", "products", 5))._unsafeUnwrap();
    expect(deleted).toEqual(cleared);
    expect((await crud.get("shop", "products", 5))._unsafeUnwrapErr().code).toBe("RECORD_NOT_FOUND");
  });

  it("addresses composite primary keys with an object", async () => {
    (await crud.create("shop", "stock_levels", { warehouse: "north", sku: "P-01", level: 3 }))._unsafeUnwrap();
    (await crud.create("shop", "stock_levels", { warehouse: "south", sku: "P-01", level: 8 }))._unsafeUnwrap();
    const id = { warehouse: "south", sku: "P-01" };
    expect((await crud.update("shop", "stock_levels", id, { level: 9 }))._unsafeUnwrap()).toEqual({ ...id, level: 9 });
    expect((await crud.get("shop", "stock_levels", { warehouse: "north", sku: "P-01" }))._unsafeUnwrap().level).toBe(3);
    expect((await crud.delete("shop", "stock_levels", id))._unsafeUnwrap()).toEqual({ ...id, level: 9 });
    expect((await crud.count("shop", "stock_levels"))._unsafeUnwrap()).toBe(1);
  });

  it("createMany inserts 10,000 rows in one transaction, and none when row 9,999 is bad", async () => {
    const rows = Array.from({ length: 10_000 }, (_, i) => ({ sku: `BULK-${i}`, name: `Bulk ${i}`, price: i / 100, quantity: i }));
    const badType = rows.map((row, i) => (i === 9_998 ? { ...row, price: "oops" } : row));
    const typeError = (await crud.createMany("shop", "products", badType))._unsafeUnwrapErr();
    expect(typeError).toMatchObject({ code: "VALIDATION_FAILED", details: { row: 9_998, column: "price" } });
    const duplicate = rows.map((row, i) => (i === 9_998 ? { ...row, sku: "BULK-0" } : row));
    expect((await crud.createMany("shop", "products", duplicate))._unsafeUnwrapErr().code).toBe("CONSTRAINT_VIOLATION");
    const bulkCount = () => crud.count("shop", "products", [{ column: "sku", op: "like", value: "BULK-%" }]);
    expect((await bulkCount())._unsafeUnwrap()).toBe(0);

    const db = framework.databases.get("shop")._unsafeUnwrap();
    const statements: string[] = [];
    const transactions: string[] = [];
    // Watch what the engine reports running: one transaction around all of the INSERTs.
    const stop = db.activity.observe({ statement: (event) => statements.push(event.sql), transaction: (_database, _seconds, outcome) => transactions.push(outcome) });
    try {
      expect((await crud.createMany("shop", "products", rows))._unsafeUnwrap()).toEqual({ inserted: 10_000 });
    } finally {
      stop();
    }
    expect(transactions).toEqual(["committed"]);
    expect(statements.filter((sql) => sql.startsWith("BEGIN") || sql.startsWith("START TRANSACTION"))).toHaveLength(1);
    expect(statements.filter((sql) => sql === "COMMIT")).toHaveLength(1);
    const inserts = statements.flatMap((sql, index) => (sql.startsWith("INSERT") ? [index] : []));
    expect(inserts.length).toBeGreaterThan(1);
    expect(Math.min(...inserts)).toBeGreaterThan(statements.findIndex((sql) => sql.startsWith("BEGIN") || sql.startsWith("START TRANSACTION")));
    expect(Math.max(...inserts)).toBeLessThan(statements.indexOf("COMMIT"));
    expect((await bulkCount())._unsafeUnwrap()).toBe(10_000);
    expect((await crud.list("shop", "products", { filters: [{ column: "sku", op: "eq", value: "BULK-9999" }] }))._unsafeUnwrap().records[0]).toMatchObject({ name: "Bulk 9999", price: 99.99, quantity: 9999, active: true });
    expect((await crud.createMany("shop", "products", []))._unsafeUnwrap()).toEqual({ inserted: 0 });
  });
});
