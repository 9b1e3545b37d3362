import type { EntityManager } from "typeorm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { SqliteSession } from "../../../../framework/engines/sqlite/sqlite-session";
import { bootCatalog, type Catalog } from "../../../support/catalog";
import { AUTHORS, BOOKS } from "../../../support/query-models";

const EXTRA = 150;
let catalog: Catalog;
let books: { id: number; author_id: number | null; title: string }[];
beforeAll(async () => {
  catalog = await bootCatalog("include");
  // Di (author 4) gets many more books than one included list may hold.
  (await catalog.crud.createMany("catalog", "books", Array.from({ length: EXTRA }, (_, i) => ({ title: `extra ${i}`, status: "e", price: 1, author_id: 4 }))))._unsafeUnwrap();
  books = [...BOOKS, ...Array.from({ length: EXTRA }, (_, i) => ({ title: `extra ${i}`, author_id: 4 }))].map((book, index) => ({ id: index + 1, author_id: book.author_id, title: book.title }));
});
afterAll(async () => {
  await catalog?.close();
});

/** How many statements `work` sends through EntityManager.query. */
/** Statements `work` sends, on the writer's connection and (in WAL mode) the read connection. */
async function statementsOf(work: () => Promise<unknown>): Promise<number> {
  const database = catalog.framework.databases.get("catalog")._unsafeUnwrap();
  const reader = database.session instanceof SqliteSession ? database.session.reader : undefined;
  const managers: EntityManager[] = [database.dataSource.manager, ...(reader === undefined ? [] : [reader.dataSource.manager])];
  const spies = managers.map((manager) => vi.spyOn(manager, "query"));
  try {
    await work();
    return spies.reduce((total, spy) => total + spy.mock.calls.length, 0);
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
}

describe("include", () => {
  it("a ManyToOne comes back nested (null without a related row), matching the rows' join columns", async () => {
    const page = (await catalog.crud.list("catalog", "books", { include: ["author"], fields: ["title"], pageSize: 30 }))._unsafeUnwrap();
    for (const record of page.records) {
      const book = books.find((candidate) => candidate.id === record.id);
      const author = book?.author_id === null || book?.author_id === undefined ? null : { id: book.author_id, ...AUTHORS[book.author_id - 1] };
      expect(record.author).toEqual(author);
    }
  });

  it("a OneToMany comes back as an array, cut at 100 and flagged; two levels load", async () => {
    const authors = (await catalog.crud.list("catalog", "authors", { include: ["books"] }))._unsafeUnwrap().records;
    for (const author of authors) {
      const own = books.filter((book) => book.author_id === author.id).map((book) => book.id);
      const listed = (author.books as { id: number }[]).map((book) => book.id);
      expect(listed).toEqual(own.slice(0, 100));
      expect(author._truncated).toEqual(own.length > 100 ? { books: true } : undefined);
    }
    const nested = (await catalog.crud.get("catalog", "books", 2, { include: ["author", "author.books"] }))._unsafeUnwrap();
    const author = nested.author as { id: number; books: { id: number }[] };
    expect(author.id).toBe(books[1]?.author_id);
    expect(author.books.map((book) => book.id)).toEqual(books.filter((book) => book.author_id === author.id).map((book) => book.id).slice(0, 100));
  });

  it("a ManyToMany comes back as an array through its junction table, from either side", async () => {
    const awarded = await catalog.crud.createMany("catalog", "awards", [{ title: "Hugo" }, { title: "Nebula" }, { title: "Locus" }]);
    expect(awarded.isOk(), JSON.stringify(awarded)).toBe(true);
    const links = [[1, 1], [1, 3], [3, 2], [3, 3], [4, 1]] as const;
    const linked = await catalog.crud.createMany("catalog", "author_awards", links.map(([author_id, award_id]) => ({ author_id, award_id })));
    expect(linked.isOk(), JSON.stringify(linked)).toBe(true);
    const listed = await catalog.crud.list("catalog", "authors", { include: ["awards"] });
    expect(listed.isOk(), JSON.stringify(listed)).toBe(true);
    const authors = listed._unsafeUnwrap().records;
    for (const author of authors) {
      expect((author.awards as { id: number }[]).map((award) => award.id), String(author.id)).toEqual(links.filter(([a]) => a === author.id).map(([, award]) => award));
    }
    const awardPage = await catalog.crud.list("catalog", "awards", { include: ["authors", "authors.books"] });
    expect(awardPage.isOk(), JSON.stringify(awardPage)).toBe(true);
    const awards = awardPage._unsafeUnwrap().records;
    for (const award of awards) {
      const holders = award.authors as { id: number; books: { id: number }[] }[];
      expect(holders.map((author) => author.id)).toEqual(links.filter(([, w]) => w === award.id).map(([a]) => a));
      for (const holder of holders) expect(holder.books.map((book) => book.id)).toEqual(books.filter((book) => book.author_id === holder.id).map((book) => book.id).slice(0, 100));
    }
  });

  it("loads without N+1: the statement count does not grow with the page", async () => {
    const small = await statementsOf(async () => await catalog.crud.list("catalog", "books", { include: ["author", "author.books"], pageSize: 2 }));
    const large = await statementsOf(async () => await catalog.crud.list("catalog", "books", { include: ["author", "author.books"], pageSize: 200 }));
    expect(small).toBeGreaterThanOrEqual(4);
    expect(large).toBe(small);
    // count, page, authors, their books (plus, on the writer, the snapshot's BEGIN/pragma/COMMIT statements)
    expect(large).toBeLessThanOrEqual(9);
  });

  it("refuses a non-relation, an unknown relation and a third level (VALIDATION_FAILED)", async () => {
    for (const include of [["title"], ["publisher"], ["author.books.author"]]) {
      const error = (await catalog.crud.list("catalog", "books", { include }))._unsafeUnwrapErr();
      expect(error.code, include.join()).toBe("VALIDATION_FAILED");
    }
    expect((await catalog.crud.list("catalog", "books", { include: ["title"] }))._unsafeUnwrapErr().details).toMatchObject({ reason: "not_a_relation", available_relations: ["author"] });
  });
});
