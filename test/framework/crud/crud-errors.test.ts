import { afterAll, beforeAll, expect, it } from "vitest";
import type { ResultAsync } from "neverthrow";
import { bootFramework, CrudService, type DbError, type DbErrorCode, type Framework, type ListQuery } from "../../../framework";
import { describeEachEngine } from "../../support/each-engine";
import { SHOP_MODELS } from "../../support/shop-models";
import { createTempRoot, type TempRoot } from "../../support/temp-root";

type Call = (crud: CrudService) => ResultAsync<unknown, DbError>;

/** Snapshot of every row of every shop table, read with plain SQL on the database's own connection (bypassing CrudService). */
async function snapshot(framework: Framework): Promise<Record<string, unknown[]>> {
  const database = framework.databases.get("shop")._unsafeUnwrap();
  const tables: [string, unknown[]][] = [];
  for (const table of ["categories", "products", "stock_levels"]) tables.push([table, (await database.dataSource.query(`SELECT * FROM "${table}" ORDER BY 1, 2`)) as unknown[]]);
  return Object.fromEntries(tables);
}

describeEachEngine("CrudService bad inputs: each answered with its code, nothing written", (engine) => {
  let temp: TempRoot;
  let framework: Framework;
  let crud: CrudService;

  beforeAll(async () => {
    temp = createTempRoot("crud-errors");
    temp.writeModuleFile("shop", "db-models.ts", SHOP_MODELS);
    await engine.use(["shop"]);
    framework = await bootFramework({ rootDir: temp.root, dataDir: temp.dataDir });
    crud = framework.resolve(CrudService);
    const category = (await crud.create("shop", "categories", { name: "tools" }))._unsafeUnwrap();
    expect(category.id).toBe(1);
    (await crud.create("shop", "products", { sku: "HAM-1", name: "Hammer", price: 9.5, category_id: 1 }))._unsafeUnwrap();
    (await crud.create("shop", "products", { sku: "SAW-1", name: "Saw", price: 19, quantity: 3 }))._unsafeUnwrap();
    (await crud.create("shop", "stock_levels", { warehouse: "north", sku: "HAM-1", level: 4 }))._unsafeUnwrap();
  });

  afterAll(async () => {
    await framework?.shutdown();
    temp.remove();
    await engine.release();
  });

  async function expectError(call: Call, code: DbErrorCode): Promise<DbError> {
    const before = await snapshot(framework);
    const result = await call(crud);
    if (result.isOk()) throw new Error(`expected ${code}, got ${JSON.stringify(result.value)}`);
    expect(result.error.code).toBe(code);
    expect(typeof result.error.message).toBe("string");
    expect(await snapshot(framework)).toEqual(before);
    return result.error;
  }

  it("DATABASE_NOT_FOUND with the available databases", async () => {
    for (const call of [
      (c: CrudService) => c.create("nope", "products", { sku: "x" }),
      (c: CrudService) => c.list("nope", "products", {}),
      (c: CrudService) => c.count("../shop", "products"),
      (c: CrudService) => c.get("", "products", 1),
    ]) {
      const error = await expectError(call, "DATABASE_NOT_FOUND");
      expect(error.details?.available_databases).toEqual(["framework", "shop"]);
    }
  });

  it("TABLE_NOT_FOUND with the available tables", async () => {
    for (const table of ["nope", "Products", "products; DROP TABLE products", "sqlite_master"]) {
      const error = await expectError((c) => c.createMany("shop", table, [{ sku: "x" }]), "TABLE_NOT_FOUND");
      expect(error).toMatchObject({ database: "shop", details: { table_name: table, available_tables: ["categories", "products", "stock_levels"] } });
    }
    await expectError((c) => c.update("shop", "nope", 1, { name: "x" }), "TABLE_NOT_FOUND");
    await expectError((c) => c.delete("shop", "nope", 1), "TABLE_NOT_FOUND");
  });

  it("COLUMN_NOT_FOUND for unknown columns in values, patches, filters and sort", async () => {
    const calls: Call[] = [
      (c) => c.create("shop", "products", { sku: "NEW-1", name: "New", price: 1, colour: "red" }),
      (c) => c.createMany("shop", "products", [{ sku: "NEW-1", name: "New", price: 1 }, { sku: "NEW-2", name: "New", price: 1, "price; --": 2 }]),
      (c) => c.update("shop", "products", 1, { colour: "red" }),
      (c) => c.list("shop", "products", { filters: [{ column: "colour", op: "eq", value: "red" }] }),
      (c) => c.count("shop", "products", [{ column: "name\" OR 1=1 --", op: "eq", value: "x" }]),
      (c) => c.list("shop", "products", { sort: [{ column: "colour", direction: "asc" }] }),
      // Entity property names are not column names: the relation property is not addressable.
      (c) => c.create("shop", "products", { sku: "NEW-1", name: "New", price: 1, category: 1 }),
    ];
    for (const call of calls) {
      const error = await expectError(call, "COLUMN_NOT_FOUND");
      expect(error.details?.available_columns).toContain("sku");
    }
  });

  it("INVALID_FILTER for unknown operators and unusable filter values", async () => {
    const filters: ListQuery["filters"][] = [
      [{ column: "price", op: "approx" as never, value: [1, 2] }],
      [{ column: "price", op: "gt", value: "cheap" }],
      [{ column: "price", op: "eq", value: null }],
      [{ column: "quantity", op: "eq", value: 1.5 }],
      [{ column: "price", op: "in", value: [] }],
      [{ column: "price", op: "in", value: 5 }],
      [{ column: "price", op: "nin", value: Array.from({ length: 501 }, (_, i) => i) }],
      [{ column: "price", op: "like", value: "9%" }],
      [{ column: "name", op: "like", value: 9 }],
      [{ column: "name", op: "isnull", value: "perhaps" }],
      [{ column: "active", op: "gt", value: true }],
      [{ column: "tags", op: "eq", value: "a" }],
      [{ column: "released_at", op: "gte", value: "last tuesday" }],
      "price>1" as never,
    ];
    for (const filter of filters) {
      await expectError((c) => c.list("shop", "products", { filters: filter }), "INVALID_FILTER");
      await expectError((c) => c.count("shop", "products", filter), "INVALID_FILTER");
    }
  });

  it("VALIDATION_FAILED for wrong types, missing required columns, empty or key-changing updates", async () => {
    const calls: Call[] = [
      (c) => c.create("shop", "products", { sku: "T-1", name: "Typed", price: "9.99" }),
      (c) => c.create("shop", "products", { sku: "T-1", name: 42, price: 1 }),
      (c) => c.create("shop", "products", { sku: "T-1", name: "Typed", price: 1, quantity: 1.5 }),
      (c) => c.create("shop", "products", { sku: "T-1", name: "Typed", price: 1, active: "yes" }),
      (c) => c.create("shop", "products", { sku: "T-1", name: "Typed", price: 1, released_at: "soon" }),
      (c) => c.create("shop", "products", { sku: "T-1", name: "Typed", price: Number.NaN }),
      (c) => c.create("shop", "products", { sku: "T-1", name: null, price: 1 }),
      (c) => c.create("shop", "products", { sku: "T-1", name: "Typed" }),
      (c) => c.create("shop", "products", {}),
      (c) => c.create("shop", "products", [] as never),
      (c) => c.create("shop", "products", "sku=T-1" as never),
      (c) => c.createMany("shop", "products", "rows" as never),
      (c) => c.update("shop", "products", 1, {}),
      (c) => c.update("shop", "products", 1, { id: 99 }),
      (c) => c.update("shop", "products", 1, { price: "free" }),
      (c) => c.update("shop", "products", "one", { price: 1 }),
      (c) => c.get("shop", "stock_levels", "north"),
      (c) => c.get("shop", "products", { id: "x" }),
    ];
    for (const call of calls) await expectError(call, "VALIDATION_FAILED");
  });

  it("VALIDATION_FAILED for bad page and pageSize values and a page out of range", async () => {
    const queries: ListQuery[] = [
      { page: 0 },
      { page: -1 },
      { page: 1.5 },
      { page: "2" as never },
      { page: Number.NaN },
      { pageSize: 0 },
      { pageSize: -1 },
      { pageSize: 1.5 },
      { pageSize: 1001 },
      { pageSize: "50" as never },
      { sort: [{ column: "price", direction: "up" as never }] },
      { sort: "price" as never },
    ];
    for (const query of queries) await expectError((c) => c.list("shop", "products", query), "VALIDATION_FAILED");
    const outOfRange = await expectError((c) => c.list("shop", "products", { page: 3, pageSize: 1 }), "VALIDATION_FAILED");
    expect(outOfRange.details).toMatchObject({ page: 3, total_pages: 2, total_records: 2 });
    // An empty table still has page 1 (with no records), never page 2.
    expect((await crud.list("shop", "products", { filters: [{ column: "sku", op: "eq", value: "none" }] }))._unsafeUnwrap()).toMatchObject({ records: [], totalRecords: 0, totalPages: 0, page: 1 });
    await expectError((c) => c.list("shop", "products", { page: 2, filters: [{ column: "sku", op: "eq", value: "none" }] }), "VALIDATION_FAILED");
  });

  it("RECORD_NOT_FOUND for get, update and delete of a missing record", async () => {
    await expectError((c) => c.get("shop", "products", 999), "RECORD_NOT_FOUND");
    await expectError((c) => c.update("shop", "products", 999, { name: "ghost" }), "RECORD_NOT_FOUND");
    const error = await expectError((c) => c.delete("shop", "products", 999), "RECORD_NOT_FOUND");
    expect(error.details).toMatchObject({ table_name: "products", id: 999 });
    await expectError((c) => c.get("shop", "stock_levels", { warehouse: "south", sku: "HAM-1" }), "RECORD_NOT_FOUND");
  });

  it("CONSTRAINT_VIOLATION for unique, foreign key and NOT NULL violations", async () => {
    await expectError((c) => c.create("shop", "products", { sku: "HAM-1", name: "Second hammer", price: 1 }), "CONSTRAINT_VIOLATION");
    await expectError((c) => c.update("shop", "products", 2, { sku: "HAM-1" }), "CONSTRAINT_VIOLATION");
    await expectError((c) => c.create("shop", "products", { sku: "FK-1", name: "Orphan", price: 1, category_id: 77 }), "CONSTRAINT_VIOLATION");
    await expectError((c) => c.update("shop", "products", 2, { category_id: 77 }), "CONSTRAINT_VIOLATION");
    await expectError((c) => c.delete("shop", "categories", 1), "CONSTRAINT_VIOLATION");
    await expectError((c) => c.create("shop", "stock_levels", { warehouse: "north", sku: "HAM-1", level: 9 }), "CONSTRAINT_VIOLATION");
    // createMany is all or nothing: a duplicate in the last row keeps every earlier row out.
    const rows = Array.from({ length: 20 }, (_, i) => ({ sku: i === 19 ? "SAW-1" : `BULK-${i}`, name: "Bulk", price: 1 }));
    const error = await expectError((c) => c.createMany("shop", "products", rows), "CONSTRAINT_VIOLATION");
    expect(error.details).toMatchObject({ constraint: "unique", table: "products", columns: ["sku"] });
    // The engine's own code travels along for whoever needs it.
    if (engine.kind === "sqlite") expect(error.details?.sqlite_code).toBe("SQLITE_CONSTRAINT_UNIQUE");
    else expect(error.details?.sqlstate).toBe("23505");
  });

  it("stores and compares SQL-injection text literally", async () => {
    const hostile = ["'; DROP TABLE products; --", "\" OR 1=1 --", "Robert'); DELETE FROM categories; --", "%", "_"];
    for (const [i, text] of hostile.entries()) {
      const created = (await crud.create("shop", "products", { sku: `INJ-${i}`, name: text, price: 1 }))._unsafeUnwrap();
      expect(created.name).toBe(text);
      const matches = (await crud.list("shop", "products", { filters: [{ column: "name", op: "eq", value: text }] }))._unsafeUnwrap();
      expect(matches.records.map((record) => record.sku)).toEqual([`INJ-${i}`]);
    }
    expect((await crud.count("shop", "products", [{ column: "name", op: "in", value: hostile }]))._unsafeUnwrap()).toBe(hostile.length);
    // like patterns are still patterns, but the table and the other rows survive every attempt.
    expect((await crud.count("shop", "products", [{ column: "name", op: "like", value: "'; DROP%" }]))._unsafeUnwrap()).toBe(1);
    expect((await snapshot(framework)).categories).toHaveLength(1);
    expect((await crud.count("shop", "products"))._unsafeUnwrap()).toBe(2 + hostile.length);
  });
});
