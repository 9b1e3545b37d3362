import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CrudService } from "../../../../framework";
import { seedCatalog, writeCatalogModule } from "../../../support/catalog";
import { call, snapshotDatabase, startApi, type ApiUnderTest } from "../../../support/http-harness";
import { BOOKS } from "../../../support/query-models";
import { createTempRoot } from "../../../support/temp-root";

const temp = createTempRoot("query-routes");
writeCatalogModule(temp);
let api: ApiUnderTest;
const base = "/api/v1/db/databases/catalog/tables";
const books = BOOKS.map((book, index) => ({ ...book, id: index + 1 }));
const file = () => api.framework.databases.entry("catalog")?.file ?? "";

beforeAll(async () => {
  api = await startApi(temp);
  const crud = api.framework.resolve(CrudService);
  await seedCatalog(crud);
  (await crud.createMany("catalog", "notes", Array.from({ length: 6 }, (_, i) => ({ body: `note ${i}`, score: i }))))._unsafeUnwrap();
});
afterAll(async () => {
  await api?.stop();
  temp.remove();
});

describe("fields, cursor and count over HTTP", () => {
  it("fields=… returns those columns and the primary key, for pages and records", async () => {
    const page = await call(api.url, "GET", `${base}/books?fields=title,status&page_size=2`);
    expect(page.body.records).toEqual(books.slice(0, 2).map((book) => ({ id: book.id, title: book.title, status: book.status })));
    const record = await call(api.url, "GET", `${base}/books/records/7?fields=price`);
    expect(record.body.record).toEqual({ id: 7, price: books[6]?.price });
    expect((await call(api.url, "GET", `${base}/books?fields=nope`)).body.error.code).toBe("COLUMN_NOT_FOUND");
  });

  it("next_cursor walks a sorted, filtered table once, in order; count=none gives null totals", async () => {
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `sort=-priority&filter[status][ne]=c&page_size=7&count=none${cursor === null ? "" : `&cursor=${encodeURIComponent(cursor)}`}`;
      const response = await call(api.url, "GET", `${base}/books?${query}`);
      expect(response.status, response.text).toBe(200);
      expect(response.body).toMatchObject({ total_records: null, total_pages: null });
      seen.push(...response.body.records.map((record: { id: number }) => record.id));
      cursor = response.body.next_cursor;
    } while (cursor !== null);
    const expected = books
      .filter((book) => book.status !== "c")
      .sort((x, y) => (x.priority === y.priority ? x.id - y.id : x.priority === null ? 1 : y.priority === null ? -1 : y.priority - x.priority))
      .map((book) => book.id);
    expect(seen).toEqual(expected);
  });

  it("a forged cursor is 400 VALIDATION_FAILED", async () => {
    const first = await call(api.url, "GET", `${base}/books?page_size=5`);
    const forged = `${String(first.body.next_cursor).slice(0, -3)}abc`;
    const response = await call(api.url, "GET", `${base}/books?cursor=${encodeURIComponent(forged)}`);
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({ code: "VALIDATION_FAILED", details: { reason: "invalid_cursor" } });
  });
});

describe("include over HTTP", () => {
  it("include=author,author.books nests the related records; a non-relation is 400", async () => {
    const response = await call(api.url, "GET", `${base}/books?include=author,author.books&fields=title&page_size=12`);
    expect(response.status, response.text).toBe(200);
    for (const record of response.body.records) {
      const book = books.find((candidate) => candidate.id === record.id);
      if (book?.author_id === null) {
        expect(record.author).toBeNull();
        continue;
      }
      expect(record.author.id).toBe(book?.author_id);
      expect(record.author.books.map((item: { id: number }) => item.id)).toEqual(books.filter((candidate) => candidate.author_id === book?.author_id).map((candidate) => candidate.id));
    }
    const refused = await call(api.url, "GET", `${base}/books?include=title`);
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ code: "VALIDATION_FAILED", details: { reason: "not_a_relation" } });
    expect((await call(api.url, "GET", `${base}/authors/records/1?include=books`)).body.record.books.length).toBe(books.filter((book) => book.author_id === 1).length);
  });
});

describe("aggregate, bulk writes and soft delete over HTTP", () => {
  it("GET …/aggregate?group_by=status&count=true&sum=price matches JS", async () => {
    const response = await call(api.url, "GET", `${base}/books/aggregate?group_by=status&count=true&sum=price&filter[price][gt]=1`);
    expect(response.status, response.text).toBe(200);
    const matching = books.filter((book) => book.price > 1);
    expect(response.body.rows).toEqual(
      ["a", "b", "c"].map((status) => ({ group: { status }, count: matching.filter((b) => b.status === status).length, sum: { price: matching.filter((b) => b.status === status).reduce((t, b) => t + b.price, 0) } })),
    );
    const refused = await call(api.url, "GET", `${base}/books/aggregate?sum=title`);
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ code: "VALIDATION_FAILED", details: { reason: "not_numeric" } });
  });

  it("PATCH and DELETE …/records?filter… change the matching rows; without a filter they are refused and write nothing", async () => {
    const before = snapshotDatabase(file());
    for (const [method, json] of [["PATCH", { price: 1 }], ["DELETE", undefined]] as const) {
      const response = await call(api.url, method, `${base}/books/records`, json === undefined ? {} : { json });
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe("VALIDATION_FAILED");
    }
    expect(snapshotDatabase(file())).toBe(before);
    const patched = await call(api.url, "PATCH", `${base}/books/records?filter[or][0][status][eq]=a&filter[or][1][priority][eq]=4`, { json: { status: "x" } });
    expect(patched.body).toMatchObject({ success: true, affected: books.filter((b) => b.status === "a" || b.priority === 4).length });
    const deleted = await call(api.url, "DELETE", `${base}/books/records?filter[status][eq]=x`);
    expect(deleted.body.affected).toBe(patched.body.affected);
    expect((await call(api.url, "GET", `${base}/books?count=exact`)).body.total_records).toBe(books.length - patched.body.affected);
  });

  it("DELETE soft-deletes, with_deleted shows it, POST …/restore brings it back, hard=true removes it", async () => {
    expect((await call(api.url, "DELETE", `${base}/notes/records/2`)).body.record.deleted_at).not.toBeNull();
    expect((await call(api.url, "GET", `${base}/notes/records/2`)).status).toBe(404);
    expect((await call(api.url, "GET", `${base}/notes/records/2?with_deleted=true`)).status).toBe(200);
    expect((await call(api.url, "GET", `${base}/notes`)).body.total_records).toBe(5);
    expect((await call(api.url, "GET", `${base}/notes?with_deleted=true`)).body.total_records).toBe(6);
    const restored = await call(api.url, "POST", `${base}/notes/records/2/restore`);
    expect(restored.status, restored.text).toBe(200);
    expect(restored.body.record.deleted_at).toBeNull();
    expect((await call(api.url, "DELETE", `${base}/notes/records/2?hard=true`)).status).toBe(200);
    expect((await call(api.url, "GET", `${base}/notes/records/2?with_deleted=true`)).status).toBe(404);
    expect((await call(api.url, "POST", `${base}/books/records/1/restore`)).body.error.details.reason).toBe("not_soft_delete");
  });
});
