import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NewSearchResult, SearchResultService, SearchService } from "../../../modules/ciap/module";
import { bootCiap, unwrap, unwrapErr, type CiapFixture } from "./ciap-fixture";

function rowsFor(searchId: number, count: number): NewSearchResult[] {
  return Array.from({ length: count }, (_, index) => ({
    search_id: searchId,
    source: index % 2 === 0 ? "google" : "bing",
    title: `title ${index}`,
    snippet: `snippet ${index}`,
    url: `https://example.com/${index}`,
    position: index + 1,
  }));
}

describe("ciap search results", () => {
  let fixture: CiapFixture;
  let searches: SearchService;
  let results: SearchResultService;

  beforeAll(async () => {
    fixture = await bootCiap("ciap-results");
    searches = fixture.framework.resolve(fixture.ciap.SearchService);
    results = fixture.framework.resolve(fixture.ciap.SearchResultService);
  });
  afterAll(() => fixture.close());

  const newSearch = async (query: string): Promise<number> => unwrap(await searches.create(query, ["google", "bing"])).id;

  it("bulk-inserts in chunks of the requested size", async () => {
    const searchId = await newSearch("bulk");
    const report = unwrap(await results.insertMany(rowsFor(searchId, 1234), { chunkSize: 100 }));
    expect(report).toEqual({ inserted: 1234, chunks: 13 });
    expect(unwrap(await results.countForSearch(searchId))).toBe(1234);

    const defaultChunks = unwrap(await results.insertMany(rowsFor(await newSearch("bulk default"), 1001)));
    expect(defaultChunks).toEqual({ inserted: 1001, chunks: 3 });
    expect(unwrap(await results.insertMany([]))).toEqual({ inserted: 0, chunks: 0 });
  });

  it("rolls back every chunk when a row in a later chunk is refused by the database", async () => {
    const searchId = await newSearch("rollback");
    const rows = rowsFor(searchId, 1000);
    // Row 950 points at a search that does not exist: chunks 1..9 are already written when it fails.
    rows[950] = { ...rows[950], search_id: 987_654 } as NewSearchResult;
    const error = unwrapErr(await results.insertMany(rows, { chunkSize: 100 }));
    expect(error).toMatchObject({ code: "CONSTRAINT_VIOLATION", database: "ciap" });
    expect(unwrap(await results.countForSearch(searchId))).toBe(0);
  });

  it("refuses an invalid row before writing anything, naming the row and field", async () => {
    const searchId = await newSearch("invalid row");
    const rows: NewSearchResult[] = rowsFor(searchId, 10);
    rows[7] = { search_id: searchId, title: 42 as unknown as string };
    const error = unwrapErr(await results.insertMany(rows));
    expect(error).toMatchObject({ code: "VALIDATION_FAILED", details: { row: 7, field: "title" } });
    expect(error.message).toContain("rows[7]");
    expect(unwrapErr(await results.insertMany(rowsFor(searchId, 3), { chunkSize: 0 }))).toMatchObject({ code: "VALIDATION_FAILED", details: { field: "chunkSize" } });
    expect(unwrapErr(await results.insertMany([{ title: "orphan" } as unknown as NewSearchResult]))).toMatchObject({ details: { row: 0, field: "search_id" } });
    expect(unwrap(await results.countForSearch(searchId))).toBe(0);
  });

  it("refuses a result for a missing search with CONSTRAINT_VIOLATION (foreign key)", async () => {
    const error = unwrapErr(await results.insertMany([{ search_id: 424_242, title: "nobody's" }]));
    expect(error.code).toBe("CONSTRAINT_VIOLATION");
    expect(error.details).toMatchObject({ sqlite_code: "SQLITE_CONSTRAINT_FOREIGNKEY" });
  });

  it("returns a search's results ordered by position, unpositioned last, up to the limit", async () => {
    const searchId = await newSearch("ordering");
    const otherId = await newSearch("other");
    const positions = [5, 3, null, 1, 4, 2];
    unwrap(await results.insertMany(positions.map((position) => ({ search_id: searchId, position, title: `p${position}` }))));
    unwrap(await results.insertMany([{ search_id: otherId, position: 0, title: "other" }]));

    const ordered = unwrap(await results.bySearch(searchId));
    expect(ordered.map((result) => result.position)).toEqual([1, 2, 3, 4, 5, null]);
    expect(ordered.every((result) => result.search_id === searchId)).toBe(true);
    expect(unwrap(await results.bySearch(searchId, 3)).map((result) => result.title)).toEqual(["p1", "p2", "p3"]);
    expect(unwrapErr(await results.bySearch(searchId, 0)).code).toBe("VALIDATION_FAILED");
  });

  it("updates the analysis of a result, leaving fields it does not name", async () => {
    const searchId = await newSearch("analysis");
    unwrap(await results.insertMany([{ search_id: searchId, title: "to analyse", position: 1 }]));
    const [stored] = unwrap(await results.bySearch(searchId));
    const id = stored?.id as number;

    const analysed = unwrap(await results.updateAnalysis(id, { sentiment_score: 0.75, competitor_mentioned: ["Acme"], keywords: ["price", "launch"] }));
    expect(analysed).toMatchObject({ id, title: "to analyse", sentiment_score: 0.75, competitor_mentioned: ["Acme"], keywords: ["price", "launch"] });

    const rescored = unwrap(await results.updateAnalysis(id, { sentiment_score: -0.2 }));
    expect(rescored).toMatchObject({ sentiment_score: -0.2, competitor_mentioned: ["Acme"], keywords: ["price", "launch"] });

    expect(unwrapErr(await results.updateAnalysis(id, {}))).toMatchObject({ code: "VALIDATION_FAILED", details: { field: "analysis" } });
    expect(unwrapErr(await results.updateAnalysis(id, { mood: "happy" } as never))).toMatchObject({ code: "VALIDATION_FAILED", details: { field: "analysis" } });
    expect(unwrapErr(await results.updateAnalysis(id, { sentiment_score: Number.NaN }))).toMatchObject({ details: { field: "sentiment_score" } });
    expect(unwrapErr(await results.updateAnalysis(999_999, { sentiment_score: 1 }))).toMatchObject({ code: "RECORD_NOT_FOUND", details: { table_name: "search_results" } });
    expect(unwrap(await results.bySearch(searchId))[0]?.sentiment_score).toBe(-0.2);
  });

  it("counts results per search", async () => {
    const first = await newSearch("count a");
    const second = await newSearch("count b");
    unwrap(await results.insertMany([...rowsFor(first, 4), ...rowsFor(second, 9)]));
    expect(unwrap(await results.countForSearch(first))).toBe(4);
    expect(unwrap(await results.countForSearch(second))).toBe(9);
    expect(unwrap(await results.countForSearch(888_888))).toBe(0);
  });

  it("streams a search's results page by page, every row once, including rows added mid-stream", async () => {
    const searchId = await newSearch("stream");
    unwrap(await results.insertMany(rowsFor(searchId, 250)));
    unwrap(await results.insertMany(rowsFor(await newSearch("stream neighbour"), 30)));

    const pageSizes: number[] = [];
    const seen: number[] = [];
    let addedMidStream = false;
    for await (const page of results.stream(searchId, 100)) {
      const rows = unwrap(page);
      pageSizes.push(rows.length);
      seen.push(...rows.map((row) => row.id));
      expect(rows.every((row) => row.search_id === searchId)).toBe(true);
      if (!addedMidStream) {
        addedMidStream = true;
        unwrap(await results.insertMany([{ search_id: searchId, title: "late arrival" }]));
      }
    }
    expect(pageSizes).toEqual([100, 100, 51]);
    expect(new Set(seen).size).toBe(251);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
  });

  it("yields a single error from a stream given bad arguments", async () => {
    const pages = [];
    for await (const page of results.stream(0, 100)) pages.push(page);
    expect(pages).toHaveLength(1);
    expect(unwrapErr(pages[0] as (typeof pages)[number])).toMatchObject({ code: "VALIDATION_FAILED", details: { field: "searchId" } });
  });
});
