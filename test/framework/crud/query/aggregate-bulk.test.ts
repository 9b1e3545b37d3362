import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_BULK_ROWS } from "../../../../framework/crud/query/bulk-write";
import { MAX_AGGREGATE_GROUPS } from "../../../../framework/crud/query/aggregate";
import { bootCatalog, type Catalog } from "../../../support/catalog";
import { snapshotDatabase } from "../../../support/http-harness";
import { BOOKS } from "../../../support/query-models";

let catalog: Catalog;
let file: string;
beforeAll(async () => {
  catalog = await bootCatalog("aggregate-bulk");
  file = catalog.framework.databases.entry("catalog")?.file ?? "";
});
afterAll(async () => {
  await catalog?.close();
});

const books = BOOKS.map((book, index) => ({ ...book, id: index + 1 }));

describe("aggregate", () => {
  it("count, sum, avg, min, max per group match the same figures computed in JS", async () => {
    const rows = (await catalog.crud.aggregate("catalog", "books", { groupBy: ["status"], count: true, sum: ["price"], avg: ["priority"], min: ["title"], max: ["price"] }))._unsafeUnwrap();
    const statuses = [...new Set(books.map((book) => book.status))].sort();
    expect(rows).toEqual(
      statuses.map((status) => {
        const group = books.filter((book) => book.status === status);
        const priorities = group.map((book) => book.priority).filter((priority): priority is number => priority !== null);
        return {
          group: { status },
          count: group.length,
          sum: { price: group.reduce((total, book) => total + book.price, 0) },
          avg: { priority: priorities.reduce((total, value) => total + value, 0) / priorities.length },
          min: { title: group.map((book) => book.title).sort()[0] },
          max: { price: Math.max(...group.map((book) => book.price)) },
        };
      }),
    );
  });

  it("groups NULL as its own group (first), filters, and counts by default", async () => {
    const rows = (await catalog.crud.aggregate("catalog", "books", { groupBy: ["author_id"], filters: [{ column: "price", op: "gt", value: 3 }] }))._unsafeUnwrap();
    const matching = books.filter((book) => book.price > 3);
    const keys = [...new Set(matching.map((book) => book.author_id))].sort((a, b) => (a === null ? -1 : b === null ? 1 : a - b));
    expect(rows).toEqual(keys.map((key) => ({ group: { author_id: key }, count: matching.filter((book) => book.author_id === key).length })));
    expect((await catalog.crud.aggregate("catalog", "books", {}))._unsafeUnwrap()).toEqual([{ group: {}, count: books.length }]);
  });

  it("refuses sum/avg on text, JSON columns, unknown columns and too many groups", async () => {
    expect((await catalog.crud.aggregate("catalog", "books", { sum: ["title"] }))._unsafeUnwrapErr()).toMatchObject({ code: "VALIDATION_FAILED", details: { column: "title", reason: "not_numeric" } });
    expect((await catalog.crud.aggregate("catalog", "books", { avg: ["status"] }))._unsafeUnwrapErr().code).toBe("VALIDATION_FAILED");
    expect((await catalog.crud.aggregate("catalog", "events", { groupBy: ["payload"] }))._unsafeUnwrapErr().details?.reason).toBe("json_column");
    expect((await catalog.crud.aggregate("catalog", "books", { max: ["nope"] }))._unsafeUnwrapErr().code).toBe("COLUMN_NOT_FOUND");
    expect(MAX_AGGREGATE_GROUPS).toBeLessThan(2000);
    const many = Array.from({ length: MAX_AGGREGATE_GROUPS + 1 }, (_, i) => ({ body: `n${i}` }));
    (await catalog.crud.createMany("catalog", "notes", many))._unsafeUnwrap();
    expect((await catalog.crud.aggregate("catalog", "notes", { groupBy: ["body"] }))._unsafeUnwrapErr().code).toBe("RESULT_TOO_LARGE");
    expect((await catalog.crud.hardDelete("catalog", "notes", 1)).isOk()).toBe(true);
    expect((await catalog.crud.aggregate("catalog", "notes", { groupBy: ["body"] }))._unsafeUnwrap()).toHaveLength(MAX_AGGREGATE_GROUPS);
  });
});

describe("updateMany and deleteMany", () => {
  it("change exactly the matching rows, in one transaction, and report how many", async () => {
    const filters = [{ or: [{ column: "status", op: "eq" as const, value: "a" }, { column: "priority", op: "isnull" as const }] }];
    const expected = books.filter((book) => book.status === "a" || book.priority === null);
    expect((await catalog.crud.updateMany("catalog", "books", filters, { price: 99 }))._unsafeUnwrap()).toEqual({ affected: expected.length });
    const all = (await catalog.crud.list("catalog", "books", { pageSize: 1000 }))._unsafeUnwrap().records;
    for (const record of all) {
      const original = books.find((book) => book.id === record.id);
      expect(record.price).toBe(expected.some((book) => book.id === record.id) ? 99 : original?.price);
    }
    const removable = books.filter((book) => book.title.startsWith("river") && book.author_id === 3);
    expect((await catalog.crud.deleteMany("catalog", "books", [{ column: "title", op: "starts_with", value: "river" }, { column: "author.name", op: "eq", value: "Cy" }]))._unsafeUnwrap()).toEqual({ affected: removable.length });
    expect((await catalog.crud.count("catalog", "books"))._unsafeUnwrap()).toBe(books.length - removable.length);
    expect((await catalog.crud.updateMany("catalog", "books", [{ column: "id", op: "eq", value: -1 }], { price: 1 }))._unsafeUnwrap()).toEqual({ affected: 0 });
  });

  it("refuse an empty filter, a bad patch and more than MAX_BULK_ROWS rows, writing nothing", async () => {
    const many = Array.from({ length: MAX_BULK_ROWS + 1 }, (_, i) => ({ kind: "bulk", payload: { i } }));
    (await catalog.crud.createMany("catalog", "events", many))._unsafeUnwrap();
    const before = snapshotDatabase(file);
    expect((await catalog.crud.deleteMany("catalog", "books", []))._unsafeUnwrapErr()).toMatchObject({ code: "VALIDATION_FAILED", details: { reason: "empty_filter" } });
    expect((await catalog.crud.updateMany("catalog", "books", undefined as never, { price: 1 }))._unsafeUnwrapErr().details?.reason).toBe("empty_filter");
    expect((await catalog.crud.updateMany("catalog", "books", [{ column: "status", op: "eq", value: "a" }], { price: "free" }))._unsafeUnwrapErr().code).toBe("VALIDATION_FAILED");
    expect((await catalog.crud.updateMany("catalog", "books", [{ column: "status", op: "eq", value: "a" }], { id: 5 }))._unsafeUnwrapErr().code).toBe("VALIDATION_FAILED");
    const capped = (await catalog.crud.deleteMany("catalog", "events", [{ column: "kind", op: "eq", value: "bulk" }]))._unsafeUnwrapErr();
    expect(capped).toMatchObject({ code: "VALIDATION_FAILED", details: { reason: "too_many_rows", matched: MAX_BULK_ROWS + 1, max_bulk_rows: MAX_BULK_ROWS } });
    expect((await catalog.crud.updateMany("catalog", "events", [{ column: "kind", op: "eq", value: "bulk" }], { kind: "x" }))._unsafeUnwrapErr().details?.reason).toBe("too_many_rows");
    expect(snapshotDatabase(file)).toBe(before);
    // Exactly at the cap is allowed.
    expect((await catalog.crud.deleteMany("catalog", "events", [{ column: "kind", op: "eq", value: "bulk" }, { column: "id", op: "ne", value: 31 }]))._unsafeUnwrap()).toEqual({ affected: MAX_BULK_ROWS });
  });
});
