import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FilterNode } from "../../../../framework";
import { bootCatalog, type Catalog } from "../../../support/catalog";
import { BOOKS, EVENTS } from "../../../support/query-models";
import { snapshotDatabase } from "../../../support/http-harness";

type BookRow = (typeof BOOKS)[number] & { id: number };
type EventRow = (typeof EVENTS)[number] & { id: number };
const books: BookRow[] = BOOKS.map((book, index) => ({ ...book, id: index + 1 }));
const events: EventRow[] = EVENTS.map((event, index) => ({ ...event, id: index + 1 }));

let catalog: Catalog;
beforeAll(async () => {
  catalog = await bootCatalog("filter-groups");
});
afterAll(async () => {
  await catalog?.close();
});

async function ids(table: string, filters: FilterNode[]): Promise<number[]> {
  const page = (await catalog.crud.list("catalog", table, { filters, pageSize: 1000 }))._unsafeUnwrap();
  expect((await catalog.crud.count("catalog", table, filters))._unsafeUnwrap()).toBe(page.totalRecords);
  return page.records.map((record) => Number(record.id));
}
const bookIds = (predicate: (book: BookRow) => boolean) => books.filter(predicate).map((book) => book.id);
const eventIds = (predicate: (event: EventRow) => boolean) => events.filter(predicate).map((event) => event.id);

describe("filter groups", () => {
  it("or, and, not and nesting select what the same predicate selects in JS", async () => {
    expect(await ids("books", [{ or: [{ column: "status", op: "eq", value: "a" }, { column: "priority", op: "lt", value: 2 }] }])).toEqual(
      bookIds((b) => b.status === "a" || (b.priority !== null && b.priority < 2)),
    );
    expect(await ids("books", [{ not: { column: "status", op: "eq", value: "a" } }])).toEqual(bookIds((b) => b.status !== "a"));
    expect(
      await ids("books", [
        { column: "price", op: "gt", value: 2 },
        { or: [{ and: [{ column: "status", op: "eq", value: "b" }, { column: "priority", op: "isnull" }] }, { not: { or: [{ column: "status", op: "ne", value: "c" }, { column: "priority", op: "gte", value: 3 }] } }] },
      ]),
    ).toEqual(bookIds((b) => b.price > 2 && ((b.status === "b" && b.priority === null) || !(b.status !== "c" || (b.priority !== null && b.priority >= 3)))));
  });

  it("between, ilike, contains, starts_with, ends_with (wildcards in the text are literal)", async () => {
    expect(await ids("books", [{ column: "price", op: "between", value: [5, 10] }])).toEqual(bookIds((b) => b.price >= 5 && b.price <= 10));
    expect(await ids("books", [{ column: "priority", op: "between", value: "1,3" }])).toEqual(bookIds((b) => b.priority !== null && b.priority >= 1 && b.priority <= 3));
    expect(await ids("books", [{ column: "title", op: "ilike", value: "the road%" }])).toEqual(bookIds((b) => b.title.toLowerCase().startsWith("the road")));
    expect(await ids("books", [{ column: "title", op: "contains", value: "%_" }])).toEqual(bookIds((b) => b.title.includes("%_")));
    expect(await ids("books", [{ column: "title", op: "contains", value: "Road" }])).toEqual(bookIds((b) => b.title.includes("Road")));
    // Case-sensitive, unlike SQLite's LIKE.
    expect(await ids("books", [{ column: "title", op: "starts_with", value: "the" }])).toEqual(bookIds((b) => b.title.startsWith("the")));
    expect(await ids("books", [{ column: "title", op: "starts_with", value: "100%" }])).toEqual(bookIds((b) => b.title.startsWith("100%")));
    expect(await ids("books", [{ column: "title", op: "ends_with", value: "_sure 0" }])).toEqual(bookIds((b) => b.title.endsWith("_sure 0")));
    expect(await ids("books", [{ column: "title", op: "ends_with", value: "0" }])).toEqual(bookIds((b) => b.title.endsWith("0")));
  });

  it("has on JSON arrays and simple-array lists, and JSON paths", async () => {
    expect(await ids("events", [{ column: "tags", op: "has", value: "blue" }])).toEqual(eventIds((e) => e.tags?.includes("blue") === true));
    expect(await ids("events", [{ column: "tags", op: "has", value: 4 }])).toEqual(eventIds((e) => e.tags?.includes(4) === true));
    expect(await ids("events", [{ column: "labels", op: "has", value: "l1" }])).toEqual(eventIds((e) => e.labels?.includes("l1") === true));
    const b = (e: EventRow) => (e.payload as { a: { b: number; name: string } } | null)?.a;
    expect(await ids("events", [{ column: "payload", path: ["a", "b"], op: "eq", value: 2 }])).toEqual(eventIds((e) => b(e)?.b === 2));
    expect(await ids("events", [{ column: "payload", path: ["a", "b"], op: "gte", value: 2 }])).toEqual(eventIds((e) => (b(e)?.b ?? -1) >= 2));
    expect(await ids("events", [{ column: "payload", path: ["a", "name"], op: "in", value: ["n0", "n2"] }])).toEqual(eventIds((e) => ["n0", "n2"].includes(b(e)?.name ?? "")));
    expect(await ids("events", [{ column: "payload", path: ["list", 1], op: "eq", value: 8 }])).toEqual(eventIds((e) => (e.payload as { list: number[] } | null)?.list[1] === 8));
    expect(await ids("events", [{ column: "payload", path: ["a"], op: "isnull" }])).toEqual(eventIds((e) => e.payload === null));
  });

  it("filters on a ManyToOne relation's column", async () => {
    const authorsNamed = new Set([1, 3]); // Ada, Cy
    expect(await ids("books", [{ column: "author.name", op: "in", value: ["Ada", "Cy"] }])).toEqual(bookIds((book) => book.author_id !== null && authorsNamed.has(book.author_id)));
    expect(await ids("books", [{ column: "author.country", op: "isnull" }])).toEqual(bookIds((book) => book.author_id === 2));
  });
});

describe("hostile and malformed filters are refused, nothing written", () => {
  it("a group nested 100 deep and 10 000 or-nodes are VALIDATION_FAILED", async () => {
    const file = catalog.framework.databases.entry("catalog")?.file ?? "";
    const before = snapshotDatabase(file);
    let deep: FilterNode = { column: "status", op: "eq", value: "a" };
    for (let i = 0; i < 100; i++) deep = { not: deep };
    const wide: FilterNode = { or: Array.from({ length: 10_000 }, (_, i) => ({ column: "id", op: "eq" as const, value: i })) };
    for (const filters of [[deep], [wide]]) {
      const listed = await catalog.crud.list("catalog", "books", { filters });
      expect(listed._unsafeUnwrapErr()).toMatchObject({ code: "VALIDATION_FAILED", details: { max_depth: 8, max_nodes: 200 } });
      expect((await catalog.crud.count("catalog", "books", filters))._unsafeUnwrapErr().code).toBe("VALIDATION_FAILED");
    }
    expect(snapshotDatabase(file)).toBe(before);
  });

  it("bad groups, operators, paths and values are INVALID_FILTER; unknown columns COLUMN_NOT_FOUND", async () => {
    const invalid: unknown[] = [
      { or: [] },
      { or: "x" },
      { and: [{ column: "status", op: "eq", value: "a" }], column: "x" },
      { column: "price", op: "between", value: [1] },
      { column: "price", op: "contains", value: "1" },
      { column: "title", op: "contains", value: "" },
      { column: "title", op: "has", value: "a" },
      { column: "title", path: ["a"], op: "eq", value: 1 },
    ];
    for (const node of invalid) expect((await catalog.crud.list("catalog", "books", { filters: [node as FilterNode] }))._unsafeUnwrapErr().code).toBe("INVALID_FILTER");
    for (const node of [{ column: "payload", path: ["a'); DROP"], op: "eq", value: 1 }, { column: "payload", path: [], op: "eq", value: 1 }, { column: "payload", path: ["a"], op: "eq", value: { x: 1 } }]) {
      expect((await catalog.crud.list("catalog", "events", { filters: [node as FilterNode] }))._unsafeUnwrapErr().code).toBe("INVALID_FILTER");
    }
    expect((await catalog.crud.list("catalog", "books", { filters: [{ column: "author.nope", op: "eq", value: 1 }] }))._unsafeUnwrapErr().code).toBe("COLUMN_NOT_FOUND");
    // A relation is not a column: its join column (author_id) is.
    expect((await catalog.crud.list("catalog", "books", { filters: [{ column: "author", op: "eq", value: 1 }] }))._unsafeUnwrapErr().code).toBe("COLUMN_NOT_FOUND");
    expect((await catalog.crud.list("catalog", "books", { filters: [{ or: [{ column: "nope", op: "eq", value: 1 }] }] }))._unsafeUnwrapErr().code).toBe("COLUMN_NOT_FOUND");
  });
});
