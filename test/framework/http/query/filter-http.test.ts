import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CrudService } from "../../../../framework";
import { seedCatalog, writeCatalogModule } from "../../../support/catalog";
import { call, snapshotDatabase, startApi, type ApiUnderTest } from "../../../support/http-harness";
import { BOOKS, EVENTS } from "../../../support/query-models";
import { createTempRoot } from "../../../support/temp-root";

const temp = createTempRoot("filter-http");
writeCatalogModule(temp);
let api: ApiUnderTest;
const base = "/api/v1/db/databases/catalog/tables";
const books = BOOKS.map((book, index) => ({ ...book, id: index + 1 }));
const events = EVENTS.map((event, index) => ({ ...event, id: index + 1 }));

beforeAll(async () => {
  api = await startApi(temp);
  await seedCatalog(api.framework.resolve(CrudService));
});
afterAll(async () => {
  await api?.stop();
  temp.remove();
});

async function ids(table: string, query: string): Promise<number[]> {
  const response = await call(api.url, "GET", `${base}/${table}?page_size=1000&${query}`);
  expect(response.status, response.text).toBe(200);
  return response.body.records.map((record: { id: number }) => record.id);
}
const json = (value: unknown) => `filter=${encodeURIComponent(JSON.stringify(value))}`;

describe("REST filter syntax", () => {
  it("bracketed groups: filter[or][i]…, filter[not]…, nested and", async () => {
    expect(await ids("books", "filter[or][0][status][eq]=a&filter[or][1][priority][lt]=2")).toEqual(
      books.filter((b) => b.status === "a" || (b.priority !== null && b.priority < 2)).map((b) => b.id),
    );
    expect(await ids("books", "filter[not][status][eq]=a&filter[price][gte]=5")).toEqual(books.filter((b) => b.status !== "a" && b.price >= 5).map((b) => b.id));
    expect(await ids("books", "filter[or][0][and][0][status][eq]=b&filter[or][0][and][1][priority][isnull]=true&filter[or][1][title][contains]=%25_")).toEqual(
      books.filter((b) => (b.status === "b" && b.priority === null) || b.title.includes("%_")).map((b) => b.id),
    );
    expect(await ids("books", "filter[price][between]=5,10&filter[title][ilike]=THE%25")).toEqual(books.filter((b) => b.price >= 5 && b.price <= 10 && b.title.toLowerCase().startsWith("the")).map((b) => b.id));
    expect(await ids("books", "filter[author.name][eq]=Ada")).toEqual(books.filter((b) => b.author_id === 1).map((b) => b.id));
  });

  it("JSON filter= with shorthand and full nodes, typed values, JSON paths", async () => {
    expect(await ids("books", json({ or: [{ status: { eq: "a" } }, { priority: { lt: 2 } }] }))).toEqual(
      books.filter((b) => b.status === "a" || (b.priority !== null && b.priority < 2)).map((b) => b.id),
    );
    expect(await ids("events", json([{ column: "payload", path: ["a", "b"], op: "eq", value: 3 }, { tags: { has: "red" } }]))).toEqual(
      events.filter((e) => (e.payload as { a: { b: number } } | null)?.a.b === 3 && e.tags?.includes("red") === true).map((e) => e.id),
    );
    expect(await ids("events", json({ tags: { has: 7 } }))).toEqual(events.filter((e) => e.tags?.includes(7) === true).map((e) => e.id));
  });

  it("refuses hostile and malformed filters with codes, nothing written", async () => {
    const file = api.framework.databases.entry("catalog")?.file ?? "";
    const before = snapshotDatabase(file);
    let deep: unknown = { status: { eq: "a" } };
    for (let i = 0; i < 100; i++) deep = { not: deep };
    const deepResponse = await call(api.url, "GET", `${base}/books?${json(deep)}`);
    expect(deepResponse.status).toBe(400);
    expect(deepResponse.body.error.code).toBe("VALIDATION_FAILED");
    const wide = { or: Array.from({ length: 250 }, (_, i) => ({ id: { eq: i } })) };
    const wideResponse = await call(api.url, "GET", `${base}/books?${json(wide)}`);
    expect(wideResponse.status).toBe(400);
    expect(wideResponse.body.error).toMatchObject({ code: "VALIDATION_FAILED", details: { max_nodes: 200 } });
    // The bracket form runs into the query-parameter limit first.
    const bracketWide = Array.from({ length: 300 }, (_, i) => `filter[or][${i}][id][eq]=${i}`).join("&");
    const bracketResponse = await call(api.url, "GET", `${base}/books?${bracketWide}`);
    expect(bracketResponse.status).toBe(400);
    expect(bracketResponse.body.error.code).toBe("VALIDATION_FAILED");
    for (const [query, code] of [
      ["filter=not json", "INVALID_FILTER"],
      [json({ or: [] }), "INVALID_FILTER"],
      ["filter[or][x][status][eq]=a", "INVALID_FILTER"],
      ["filter[status]=a", "INVALID_FILTER"],
      ["filter[status][regex]=a", "INVALID_FILTER"],
      ["filter[nope][eq]=1", "COLUMN_NOT_FOUND"],
    ] as const) {
      const response = await call(api.url, "GET", `${base}/books?${query}`);
      expect(response.status, query).toBe(400);
      expect(response.body.error.code, query).toBe(code);
    }
    expect(snapshotDatabase(file)).toBe(before);
  });

  it("the OpenAPI document describes the group syntax", async () => {
    const document = (await call(api.url, "GET", "/api/v1/openapi.json")).body;
    const parameter = document.paths["/api/v1/db/databases/{database}/tables/{table}"].get.parameters.find((candidate: { name: string }) => candidate.name === "filter");
    expect(parameter).toMatchObject({ in: "query", style: "deepObject", explode: true });
    expect(parameter.description).toContain("filter[or][0][status][eq]=a");
    expect(parameter.description).toContain("between");
  });
});
