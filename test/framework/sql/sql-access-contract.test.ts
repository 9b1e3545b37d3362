import { afterAll, beforeAll, expect, it } from "vitest";
import { bootFramework, SqlAccess, type Framework } from "../../../framework";
import { describeEachEngine } from "../../support/each-engine";
import { SHOP_MODELS } from "../../support/shop-models";
import { createTempRoot, type TempRoot } from "../../support/temp-root";

const INSERT_PRODUCT = `INSERT INTO products (sku, name, price, quantity, active, category_id) VALUES (?, ?, ?, ?, ?, ?)`;

/**
 * SqlAccess written once with `?` placeholders, as module code writes it, and run on each engine:
 * the engine turns them into its own style, binds values faithfully and classifies its errors.
 */
describeEachEngine("SqlAccess (contract)", (engine) => {
  let temp: TempRoot;
  let framework: Framework;
  let sql: SqlAccess;

  beforeAll(async () => {
    temp = createTempRoot("sql-contract");
    temp.writeModuleFile("shop", "db-models.ts", SHOP_MODELS);
    await engine.use(["shop"]);
    framework = await bootFramework({ rootDir: temp.root, dataDir: temp.dataDir });
    sql = new SqlAccess(framework.databases.get("shop")._unsafeUnwrap());
    (await sql.execute("INSERT INTO categories (name) VALUES (?)", ["tools"]))._unsafeUnwrap();
  });

  afterAll(async () => {
    await framework?.shutdown();
    temp.remove();
    await engine.release();
  });

  const skus = async () => (await sql.fetchAll<{ sku: string }>("SELECT sku FROM products ORDER BY sku"))._unsafeUnwrap().map((row) => row.sku);

  it("executes writes with ? placeholders, reports changes, and reads rows back", async () => {
    expect((await sql.execute(INSERT_PRODUCT, ["A-1", "Hammer", 9.5, 3, true, 1]))._unsafeUnwrap().changes).toBe(1);
    expect((await sql.execute(INSERT_PRODUCT, ["A-2", "Saw", 19, 0, false, null]))._unsafeUnwrap().changes).toBe(1);
    expect((await sql.execute("UPDATE products SET quantity = quantity + ? WHERE price > ?", [1, 5]))._unsafeUnwrap().changes).toBe(2);
    const row = (await sql.fetchOne<{ sku: string; price: number; quantity: number; category_id: number | null }>("SELECT sku, price, quantity, category_id FROM products WHERE sku = ?", ["A-1"]))._unsafeUnwrap();
    expect(row).toEqual({ sku: "A-1", price: 9.5, quantity: 4, category_id: 1 });
    expect((await sql.fetchOne("SELECT * FROM products WHERE sku = ?", ["none"]))._unsafeUnwrap()).toBeNull();
    expect(await skus()).toEqual(["A-1", "A-2"]);
  });

  it("binds hostile text literally, and a ? inside a quoted literal stays text", async () => {
    const hostile = "x'); DROP TABLE products; --";
    (await sql.execute(INSERT_PRODUCT, ["H-1", hostile, 1, 0, true, null]))._unsafeUnwrap();
    expect((await sql.fetchOne<{ name: string }>("SELECT name FROM products WHERE sku = ?", ["H-1"]))._unsafeUnwrap()?.name).toBe(hostile);
    expect((await sql.fetchOne<{ mark: string }>("SELECT '?' AS mark FROM products WHERE sku = ?", ["H-1"]))._unsafeUnwrap()).toEqual({ mark: "?" });
  });

  it("maps the engine's errors to DbError codes and refuses unbindable values before running anything", async () => {
    expect((await sql.fetchAll("SELECT * FROM no_such_table"))._unsafeUnwrapErr().code).toBe("QUERY_FAILED");
    const duplicate = (await sql.execute(INSERT_PRODUCT, ["A-1", "Again", 1, 0, true, null]))._unsafeUnwrapErr();
    expect(duplicate).toMatchObject({ code: "CONSTRAINT_VIOLATION", details: { constraint: "unique", columns: ["sku"] } });
    expect((await sql.execute(INSERT_PRODUCT, ["F-1", "Orphan", 1, 0, true, 42]))._unsafeUnwrapErr().details).toMatchObject({ constraint: "foreign_key" });
    const bad = (await sql.execute(INSERT_PRODUCT, ["U-1", "x", undefined as unknown as number, 0, true, null]))._unsafeUnwrapErr();
    expect(bad).toMatchObject({ code: "VALIDATION_FAILED", details: { parameter_index: 2 } });
    expect((await sql.execute("BEGIN"))._unsafeUnwrapErr().message).toMatch(/executeTransaction/);
    expect(await skus()).toEqual(["A-1", "A-2", "H-1"]);
  });

  it("executeTransaction applies all statements or none, naming the failing one", async () => {
    const applied = (await sql.executeTransaction([[INSERT_PRODUCT, ["T-1", "One", 1, 0, true, null]], [INSERT_PRODUCT, ["T-2", "Two", 1, 0, true, null]], ["UPDATE products SET quantity = 7 WHERE sku LIKE ?", ["T-%"]]]))._unsafeUnwrap();
    expect(applied.map((result) => result.changes)).toEqual([1, 1, 2]);
    const before = await skus();
    const failure = (await sql.executeTransaction([[INSERT_PRODUCT, ["R-1", "One", 1, 0, true, null]], ["UPDATE products SET quantity = 99"], [INSERT_PRODUCT, ["T-1", "Dup", 1, 0, true, null]], [INSERT_PRODUCT, ["R-3", "Three", 1, 0, true, null]]]))._unsafeUnwrapErr();
    expect(failure).toMatchObject({ code: "CONSTRAINT_VIOLATION", details: { statement_index: 2 } });
    expect(await skus()).toEqual(before);
    expect((await sql.fetchAll("SELECT sku FROM products WHERE quantity = 99"))._unsafeUnwrap()).toEqual([]);
  });

  it("keeps concurrent transactions and single statements apart", async () => {
    await sql.execute("INSERT INTO categories (name) VALUES (?)", ["counter"]);
    await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        index % 2 === 0
          ? sql.executeTransaction([[INSERT_PRODUCT, [`C-${index}`, "c", 1, 0, true, null]], ["UPDATE products SET quantity = quantity + 1 WHERE sku = ?", ["A-2"]]])
          : sql.execute(INSERT_PRODUCT, [`C-${index}`, "c", 1, 0, true, null]),
      ),
    );
    expect((await sql.fetchOne<{ n: number }>("SELECT CAST(COUNT(*) AS INTEGER) AS n FROM products WHERE sku LIKE ?", ["C-%"]))._unsafeUnwrap()).toEqual({ n: 20 });
    expect((await sql.fetchOne("SELECT quantity FROM products WHERE sku = ?", ["A-2"]))._unsafeUnwrap()).toEqual({ quantity: 11 });
  });
});
