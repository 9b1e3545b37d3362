import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { normaliseSeedAliases } from "../../../framework/http/query/seed-aliases";
import { parseQueryString } from "../../../framework/http/query/parse-query-string";
import { startApi, type ApiUnderTest } from "../../support/http-harness";
import { createModuleRoot } from "../../support/module-root";
import type { TempRoot } from "../../support/temp-root";

describe("seed 003's routes without a database, and its query parameter aliases", () => {
  let temp: TempRoot;
  let api: ApiUnderTest;
  const get = (path: string) => fetch(`${api.url}${path}`, { redirect: "manual" });

  beforeAll(async () => {
    // ciap and scraper both have a `scraping_jobs` table: an ambiguous name.
    temp = createModuleRoot("seed-routes", ["ciap", "scraper"]);
    api = await startApi(temp);
    const searches = await fetch(`${api.url}/api/v1/db/databases/ciap/tables/searches/records`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: "b query", status: "pending" }) });
    expect(searches.status).toBe(201);
    for (const [query, status] of [["a query", "completed"], ["c query", "pending"]]) {
      await fetch(`${api.url}/api/v1/db/databases/ciap/tables/searches/records`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query, status }) });
    }
  });
  afterAll(async () => {
    await api.stop();
    temp.remove();
  });

  it("GET /api/v1/db/tables/{t} redirects (307) to the one database holding the table, keeping the query string", async () => {
    const response = await get("/api/v1/db/tables/searches?page=1&page_size=2");
    expect(response.status).toBe(307);
    expect(response.headers.get("location")).toBe("/api/v1/db/databases/ciap/tables/searches?page=1&page_size=2");
    expect(((await response.json()) as { message: string }).message).toContain("table 'searches' is in database 'ciap'");
    const schema = await get("/api/v1/db/tables/searches/schema");
    expect(schema.status).toBe(307);
    expect(schema.headers.get("location")).toBe("/api/v1/db/databases/ciap/tables/searches/schema");
    // Following the redirect gets the page.
    const followed = await fetch(`${api.url}/api/v1/db/tables/searches?page_size=2`);
    expect(followed.status).toBe(200);
    expect(((await followed.json()) as { records: unknown[] }).records).toHaveLength(2);
  });

  it("answers 404 DATABASE_REQUIRED naming the scoped route when the table is ambiguous or unknown, and for the bare list", async () => {
    const ambiguous = await get("/api/v1/db/tables/scraping_jobs");
    expect(ambiguous.status).toBe(404);
    expect(((await ambiguous.json()) as { error: unknown }).error).toMatchObject({
      code: "DATABASE_REQUIRED",
      message: expect.stringContaining("several databases (ciap, scraper)"),
      details: { use: "/api/v1/db/databases/{database}/tables/scraping_jobs", databases: ["ciap", "scraper"] },
    });
    const unknown = await get("/api/v1/db/tables/nope/schema");
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { details: { use: string; databases: string[] } } }).error.details).toMatchObject({ use: "/api/v1/db/databases/{database}/tables/nope/schema", databases: expect.arrayContaining(["ciap", "scraper"]) });
    const list = await get("/api/v1/db/tables");
    expect(list.status).toBe(404);
    expect(((await list.json()) as { error: unknown }).error).toMatchObject({ code: "DATABASE_REQUIRED", details: { use: "/api/v1/db/databases/{database}/tables" } });
  });

  it("sort_by/sort_desc and filter_column/filter_value mean sort= and filter[c][eq]=", async () => {
    const page = async (query: string) => {
      const response = await get(`/api/v1/db/databases/ciap/tables/searches?${query}`);
      return { status: response.status, body: (await response.json()) as { records?: { query: string }[]; error?: { code: string; message: string } } };
    };
    const sorted = await page("sort_by=query&sort_desc=true");
    expect(sorted.body.records?.map((record) => record.query)).toEqual(["c query", "b query", "a query"]);
    expect((await page("sort_by=query")).body.records?.map((record) => record.query)).toEqual(["a query", "b query", "c query"]);
    const filtered = await page("filter_column=status&filter_value=pending&sort_by=query&sort_desc=1");
    expect(filtered.body.records?.map((record) => record.query)).toEqual(["c query", "b query"]);
    expect(filtered.body).toEqual(await page("filter[status][eq]=pending&sort=-query").then((same) => same.body));

    for (const [query, fragment] of [
      ["sort_by=query&sort=-id", "use sort or sort_by, not both"],
      ["sort_desc=true", "sort_desc needs sort_by"],
      ["sort_by=query&sort_desc=maybe", "sort_desc must be true or false"],
      ["filter_column=status", "filter_column and filter_value go together"],
      ["filter_column=status&filter_value=a&filter[status][eq]=b", "repeats filter[status]"],
    ] as const) {
      const refused = await page(query);
      expect(refused.status, query).toBe(400);
      expect(refused.body.error).toMatchObject({ code: "VALIDATION_FAILED", message: expect.stringContaining(fragment) });
    }
    // An unknown column through the alias is the same error as through filter[...].
    expect((await page("filter_column=nope&filter_value=1")).body.error?.code).toBe((await page("filter[nope][eq]=1")).body.error?.code);
  });

  it("normalisation leaves queries without aliases untouched and merges with other filters", () => {
    const plain = parseQueryString("page=2&filter[status][eq]=x");
    expect(normaliseSeedAliases(plain)).toBe(plain);
    expect(normaliseSeedAliases(parseQueryString("filter[priority][gt]=2&filter_column=status&filter_value=x"))).toEqual({ filter: { priority: { gt: "2" }, status: { eq: "x" } } });
    expect(normaliseSeedAliases(parseQueryString("filter_column=priority&filter_value=3&filter[priority][lt]=9"))).toEqual({ filter: { priority: { lt: "9", eq: "3" } } });
  });
});
