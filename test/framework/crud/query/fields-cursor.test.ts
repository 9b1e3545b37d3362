import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ListQuery, Sort } from "../../../../framework";
import { CursorCodec } from "../../../../framework/crud/query/cursor-codec";
import { bootCatalog, type Catalog } from "../../../support/catalog";
import { BOOKS } from "../../../support/query-models";

type BookRow = (typeof BOOKS)[number] & { id: number };
const books: BookRow[] = BOOKS.map((book, index) => ({ ...book, id: index + 1 }));

let catalog: Catalog;
beforeAll(async () => {
  catalog = await bootCatalog("fields-cursor");
});
afterAll(async () => {
  await catalog?.close();
});

/** The order the API promises, computed independently: NULLs first ascending, last descending, ties by id. */
function expectedOrder(rows: BookRow[], sort: Sort[]): number[] {
  return [...rows]
    .sort((x, y) => {
      for (const { column, direction } of sort) {
        const a = x[column as keyof BookRow] as number | string | null;
        const b = y[column as keyof BookRow] as number | string | null;
        if (a === b) continue;
        const ascending = a === null ? -1 : b === null ? 1 : a < b ? -1 : 1;
        return direction === "asc" ? ascending : -ascending;
      }
      return x.id - y.id;
    })
    .map((row) => row.id);
}

async function walk(query: ListQuery): Promise<number[]> {
  const seen: number[] = [];
  let cursor: string | undefined;
  for (let guard = 0; guard < 100; guard++) {
    const page = (await catalog.crud.list("catalog", "books", { ...query, ...(cursor === undefined ? {} : { cursor }) }))._unsafeUnwrap();
    seen.push(...page.records.map((record) => Number(record.id)));
    if (page.nextCursor === null) return seen;
    cursor = page.nextCursor;
  }
  throw new Error("the cursor walk did not end");
}

describe("fields", () => {
  it("returns only the named columns plus the primary key, for list and get", async () => {
    const page = (await catalog.crud.list("catalog", "books", { fields: ["title", "status"], pageSize: 3 }))._unsafeUnwrap();
    expect(page.records).toEqual(books.slice(0, 3).map((book) => ({ id: book.id, title: book.title, status: book.status })));
    expect((await catalog.crud.get("catalog", "books", 5, { fields: ["price"] }))._unsafeUnwrap()).toEqual({ id: 5, price: books[4]?.price });
  });

  it("sorting by a column that is not returned still pages correctly", async () => {
    const sort: Sort[] = [{ column: "price", direction: "desc" }];
    expect(await walk({ fields: ["title"], sort, pageSize: 7 })).toEqual(expectedOrder(books, sort));
  });

  it("unknown fields are COLUMN_NOT_FOUND, an empty list VALIDATION_FAILED", async () => {
    expect((await catalog.crud.list("catalog", "books", { fields: ["title", "nope"] }))._unsafeUnwrapErr()).toMatchObject({ code: "COLUMN_NOT_FOUND", details: { column_name: "nope" } });
    expect((await catalog.crud.get("catalog", "books", 1, { fields: ["nope"] }))._unsafeUnwrapErr().code).toBe("COLUMN_NOT_FOUND");
    expect((await catalog.crud.list("catalog", "books", { fields: [] }))._unsafeUnwrapErr().code).toBe("VALIDATION_FAILED");
  });
});

describe("keyset cursor", () => {
  it("walks every row exactly once in the promised order, for every sort (nullable, ties, several keys)", async () => {
    const sorts: Sort[][] = [
      [],
      [{ column: "priority", direction: "asc" }],
      [{ column: "priority", direction: "desc" }],
      [{ column: "status", direction: "asc" }, { column: "priority", direction: "desc" }],
      [{ column: "price", direction: "desc" }, { column: "title", direction: "asc" }],
      [{ column: "author_id", direction: "asc" }, { column: "priority", direction: "asc" }],
    ];
    for (const sort of sorts) {
      for (const pageSize of [1, 7, 60, 100]) expect(await walk({ sort, pageSize }), JSON.stringify({ sort, pageSize })).toEqual(expectedOrder(books, sort));
    }
  });

  it("combines with filters, and count none skips the totals", async () => {
    const sort: Sort[] = [{ column: "priority", direction: "desc" }];
    const filters = [{ or: [{ column: "status", op: "eq" as const, value: "a" }, { column: "price", op: "gt" as const, value: 10 }] }];
    const matching = books.filter((b) => b.status === "a" || b.price > 10);
    expect(await walk({ sort, filters, pageSize: 4, count: "none" })).toEqual(expectedOrder(matching, sort));
    const page = (await catalog.crud.list("catalog", "books", { sort, filters, pageSize: 4, count: "none" }))._unsafeUnwrap();
    expect(page).toMatchObject({ totalRecords: null, totalPages: null });
    const counted = (await catalog.crud.list("catalog", "books", { sort, filters, pageSize: 4 }))._unsafeUnwrap();
    expect(counted).toMatchObject({ totalRecords: matching.length, totalPages: Math.ceil(matching.length / 4) });
  });

  it("is stable under concurrent inserts: rows before the cursor never reappear or shift the rest", async () => {
    const sort: Sort[] = [{ column: "title", direction: "asc" }];
    const first = (await catalog.crud.list("catalog", "books", { sort, pageSize: 10 }))._unsafeUnwrap();
    // Titles starting with "0" sort before every existing title.
    const inserted = (await catalog.crud.createMany("catalog", "books", Array.from({ length: 5 }, (_, i) => ({ title: `0 early ${i}`, status: "z", price: 1 }))))._unsafeUnwrap();
    expect(inserted.inserted).toBe(5);
    const rest = await walk({ sort, pageSize: 10, cursor: first.nextCursor as string });
    expect([...first.records.map((record) => Number(record.id)), ...rest]).toEqual(expectedOrder(books, sort));
    expect((await catalog.crud.deleteMany("catalog", "books", [{ column: "status", op: "eq", value: "z" }]))._unsafeUnwrap()).toEqual({ affected: 5 });
  });

  it("refuses forged, edited, foreign and mismatched cursors (VALIDATION_FAILED, invalid_cursor)", async () => {
    const sort: Sort[] = [{ column: "price", direction: "asc" }];
    const page = (await catalog.crud.list("catalog", "books", { sort, pageSize: 5 }))._unsafeUnwrap();
    const token = page.nextCursor as string;
    const [body, signature] = token.split(".") as [string, string];
    const edited = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(body, "base64url").toString()), v: [0, 0] })).toString("base64url");
    const foreign = new CursorCodec("another secret that is at least 32 chars").encode({ query: "x", values: [1, 1] });
    const candidates = [`${edited}.${signature}`, `${body}.${signature.slice(0, -2)}AA`, "garbage", foreign, `${body}.${signature}.x`];
    for (const cursor of candidates) {
      expect((await catalog.crud.list("catalog", "books", { sort, pageSize: 5, cursor }))._unsafeUnwrapErr(), cursor).toMatchObject({ code: "VALIDATION_FAILED", details: { reason: "invalid_cursor" } });
    }
    // The same cursor with another sort or filter belongs to a different query.
    expect((await catalog.crud.list("catalog", "books", { sort: [{ column: "price", direction: "desc" }], cursor: token }))._unsafeUnwrapErr().details?.reason).toBe("invalid_cursor");
    expect((await catalog.crud.list("catalog", "books", { sort, cursor: token, filters: [{ column: "status", op: "eq", value: "a" }] }))._unsafeUnwrapErr().details?.reason).toBe("invalid_cursor");
    expect((await catalog.crud.list("catalog", "books", { sort, cursor: token, page: 2 }))._unsafeUnwrapErr().code).toBe("VALIDATION_FAILED");
    // A codec with its own key (another framework instance) never accepts this one's cursors.
    expect(new CursorCodec().decode(token, "q", 2, "catalog").isErr()).toBe(true);
  });
});
