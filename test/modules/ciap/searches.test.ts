import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CrudService } from "../../../framework";
import type { SearchStatus } from "../../../modules/ciap/db-models";
import type { SearchService } from "../../../modules/ciap/module";
import { bootCiap, ManualClock, unwrap, unwrapErr, type CiapFixture } from "./ciap-fixture";

describe("ciap searches", () => {
  const clock = new ManualClock();
  let fixture: CiapFixture;
  let searches: SearchService;

  beforeAll(async () => {
    fixture = await bootCiap("ciap-searches", clock);
    searches = fixture.framework.resolve(fixture.ciap.SearchService);
  });
  afterAll(() => fixture.close());

  it("creates, gets and updates the status of a search (seed test_search_operations)", async () => {
    const created = unwrap(await searches.create("test query", ["google", "bing"], "user-7"));
    expect(created.id).toBeGreaterThan(0);
    expect(created).toMatchObject({ query: "test query", status: "pending", sources: ["google", "bing"], user_id: "user-7", completed_at: null, error_message: null });
    expect(created.created_at).toEqual(clock.now());

    expect(unwrap(await searches.get(created.id)).query).toBe("test query");

    clock.advance(30);
    const completed = unwrap(await searches.updateStatus(created.id, "completed"));
    expect(completed.status).toBe("completed");
    expect(completed.updated_at).toEqual(clock.now());
    expect(completed.completed_at).toEqual(clock.now());
    expect(completed.created_at).toEqual(created.created_at);
    expect(unwrap(await searches.get(created.id)).status).toBe("completed");
  });

  it("records the error of a failed search and clears completed_at when it is processed again", async () => {
    const search = unwrap(await searches.create("will fail", ["google"]));
    const failed = unwrap(await searches.updateStatus(search.id, "failed", "captcha wall"));
    expect(failed).toMatchObject({ status: "failed", error_message: "captcha wall" });
    expect(failed.completed_at).toEqual(clock.now());

    const again = unwrap(await searches.updateStatus(search.id, "processing"));
    expect(again).toMatchObject({ status: "processing", completed_at: null, error_message: null });
  });

  it("refuses an unknown status and leaves the search unchanged", async () => {
    const search = unwrap(await searches.create("status check", []));
    const error = unwrapErr(await searches.updateStatus(search.id, "archived" as SearchStatus));
    expect(error).toMatchObject({ code: "VALIDATION_FAILED", database: "ciap", details: { field: "status", value: "archived" } });
    expect(error.message).toContain("pending, processing, completed, failed");
    expect(unwrap(await searches.get(search.id))).toEqual(search);
  });

  it("answers a missing search with RECORD_NOT_FOUND and bad ids with VALIDATION_FAILED", async () => {
    expect(unwrapErr(await searches.get(999_999))).toMatchObject({ code: "RECORD_NOT_FOUND", details: { table_name: "searches", id: 999_999 } });
    expect(unwrapErr(await searches.updateStatus(999_999, "completed")).code).toBe("RECORD_NOT_FOUND");
    expect(unwrapErr(await searches.get(0)).code).toBe("VALIDATION_FAILED");
    expect(unwrapErr(await searches.get(1.5)).code).toBe("VALIDATION_FAILED");
  });

  it("refuses bad input to create and writes nothing", async () => {
    const crud = fixture.framework.resolve(CrudService);
    const before = unwrap(await crud.count("ciap", "searches"));
    expect(unwrapErr(await searches.create("   ", ["google"]))).toMatchObject({ code: "VALIDATION_FAILED", details: { field: "query" } });
    expect(unwrapErr(await searches.create("x".repeat(501), ["google"]))).toMatchObject({ code: "VALIDATION_FAILED", details: { field: "query" } });
    expect(unwrapErr(await searches.create("ok", [1] as unknown as string[]))).toMatchObject({ code: "VALIDATION_FAILED", details: { field: "sources" } });
    expect(unwrapErr(await searches.create("ok", [], "u".repeat(101)))).toMatchObject({ code: "VALIDATION_FAILED", details: { field: "user_id" } });
    expect(unwrap(await crud.count("ciap", "searches"))).toBe(before);
  });

  it("lists searches newest first, paginated, filtered by status", async () => {
    // A database of its own, so the totals count only this test's searches.
    const listClock = new ManualClock();
    const own = await bootCiap("ciap-search-list", listClock);
    try {
      const service = own.framework.resolve(own.ciap.SearchService);
      const ids: number[] = [];
      for (let index = 0; index < 7; index += 1) {
        listClock.advance(1);
        ids.push(unwrap(await service.create(`query ${index}`, ["google"])).id);
      }
      for (const id of [ids[1], ids[3], ids[5]]) unwrap(await service.updateStatus(id as number, "completed"));

      const first = unwrap(await service.list({ status: "completed", pageSize: 2 }));
      expect(first).toMatchObject({ page: 1, pageSize: 2, totalRecords: 3, totalPages: 2 });
      expect(first.records.map((search) => search.id)).toEqual([ids[5], ids[3]]);
      const second = unwrap(await service.list({ status: "completed", pageSize: 2, page: 2 }));
      expect(second.records.map((search) => search.id)).toEqual([ids[1]]);

      const pending = unwrap(await service.list({ status: "pending" }));
      expect(pending.records.map((search) => search.id)).toEqual([ids[6], ids[4], ids[2], ids[0]]);
      expect(pending).toMatchObject({ pageSize: 50, totalRecords: 4, totalPages: 1 });
      expect(unwrap(await service.list()).totalRecords).toBe(7);

      expect(unwrapErr(await service.list({ pageSize: 1001 }))).toMatchObject({ code: "VALIDATION_FAILED", details: { field: "pageSize" } });
      expect(unwrapErr(await service.list({ page: 0 }))).toMatchObject({ code: "VALIDATION_FAILED", details: { field: "page" } });
      expect(unwrapErr(await service.list({ status: "done" as SearchStatus }))).toMatchObject({ code: "VALIDATION_FAILED", details: { field: "status" } });
    } finally {
      await own.close();
    }
  });

  it("gives 10 concurrent workers 10 unique ids (seed test_concurrent_access)", async () => {
    const created = await Promise.all(Array.from({ length: 10 }, (_, worker) => searches.create(`query_${worker}`, ["google"])));
    const ids = created.map((result) => unwrap(result).id);
    expect(new Set(ids).size).toBe(10);
    for (const [worker, id] of ids.entries()) expect(unwrap(await searches.get(id)).query).toBe(`query_${worker}`);
  });

  it("deletes a search's results and scraping jobs with it (ON DELETE CASCADE)", async () => {
    const crud = fixture.framework.resolve(CrudService);
    const results = fixture.framework.resolve(fixture.ciap.SearchResultService);
    const doomed = unwrap(await searches.create("doomed", ["google"]));
    const kept = unwrap(await searches.create("kept", ["google"]));
    unwrap(await results.insertMany([{ search_id: doomed.id, title: "d1" }, { search_id: doomed.id, title: "d2" }, { search_id: kept.id, title: "k1" }]));
    unwrap(await crud.create("ciap", "scraping_jobs", { search_id: doomed.id, scraper_name: "google" }));

    unwrap(await crud.delete("ciap", "searches", doomed.id));

    expect(unwrap(await results.countForSearch(doomed.id))).toBe(0);
    expect(unwrap(await results.countForSearch(kept.id))).toBe(1);
    expect(unwrap(await crud.count("ciap", "scraping_jobs", [{ column: "search_id", op: "eq", value: doomed.id }]))).toBe(0);
  });
});
