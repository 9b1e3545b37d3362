import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ScrapingJobService, SearchService } from "../../../modules/ciap/module";
import { bootCiap, ManualClock, unwrap, unwrapErr, type CiapFixture } from "./ciap-fixture";
import { dialectOf } from "../../../framework/engines/sql-dialect";

describe("ciap scraping jobs", () => {
  const clock = new ManualClock();
  let fixture: CiapFixture;
  let jobs: ScrapingJobService;
  let searches: SearchService;

  beforeAll(async () => {
    fixture = await bootCiap("ciap-jobs", clock);
    jobs = fixture.framework.resolve(fixture.ciap.ScrapingJobService);
    searches = fixture.framework.resolve(fixture.ciap.SearchService);
  });
  afterAll(() => fixture.close());

  it("creates a pending job, starts it, completes it with results_count; every step stamps updated_at", async () => {
    const search = unwrap(await searches.create("job lifecycle", ["google"]));
    const created = unwrap(await jobs.create(search.id, "google"));
    expect(created).toMatchObject({ search_id: search.id, scraper_name: "google", status: "pending", results_count: 0, started_at: null, completed_at: null, error_log: null });
    expect(created.created_at).toEqual(clock.now());

    clock.advance(5);
    const started = unwrap(await jobs.start(created.id));
    expect(started).toMatchObject({ status: "processing", started_at: clock.now(), updated_at: clock.now() });

    clock.advance(60);
    const completed = unwrap(await jobs.complete(created.id, 17));
    expect(completed).toMatchObject({ status: "completed", results_count: 17, completed_at: clock.now(), updated_at: clock.now(), started_at: started.started_at });
    expect(completed.created_at).toEqual(created.created_at);

    // The row on disk says the same.
    const raw = new Database(`${fixture.temp.dataDir}/ciap.db`, { readonly: true });
    expect(raw.prepare("SELECT status, results_count FROM scraping_jobs WHERE id = ?").get(created.id)).toEqual({ status: "completed", results_count: 17 });
    raw.close();
  });

  it("fails a job with its error_log, from pending or processing", async () => {
    const search = unwrap(await searches.create("job failures", ["bing"]));
    const early = unwrap(await jobs.create(search.id, "bing"));
    expect(unwrap(await jobs.fail(early.id, "DNS lookup failed"))).toMatchObject({ status: "failed", error_log: "DNS lookup failed", completed_at: clock.now() });
    const late = unwrap(await jobs.create(search.id, "bing"));
    unwrap(await jobs.start(late.id));
    expect(unwrap(await jobs.fail(late.id, "HTTP 429 after 3 retries"))).toMatchObject({ status: "failed", error_log: "HTTP 429 after 3 retries", results_count: 0 });
  });

  it("refuses illegal transitions and bad input with VALIDATION_FAILED naming the field, changing nothing", async () => {
    const search = unwrap(await searches.create("job refusals", ["google"]));
    const job = unwrap(await jobs.create(search.id, "google"));
    const notStarted = unwrapErr(await jobs.complete(job.id, 3));
    expect(notStarted).toMatchObject({ code: "VALIDATION_FAILED", details: { field: "status", value: "pending" } });
    expect(notStarted.message).toContain("complete needs 'processing'");
    unwrap(await jobs.start(job.id));
    expect(unwrapErr(await jobs.start(job.id))).toMatchObject({ code: "VALIDATION_FAILED", details: { field: "status", value: "processing" } });
    expect(unwrapErr(await jobs.complete(job.id, -1))).toMatchObject({ code: "VALIDATION_FAILED", details: { field: "results_count" } });
    expect(unwrapErr(await jobs.fail(job.id, ""))).toMatchObject({ code: "VALIDATION_FAILED", details: { field: "error_log" } });
    unwrap(await jobs.complete(job.id, 2));
    expect(unwrapErr(await jobs.fail(job.id, "too late"))).toMatchObject({ code: "VALIDATION_FAILED", details: { field: "status", value: "completed" } });
    expect(unwrap(await jobs.get(job.id))).toMatchObject({ status: "completed", results_count: 2, error_log: null });

    expect(unwrapErr(await jobs.create(999_999, "google"))).toMatchObject({ code: "RECORD_NOT_FOUND", details: { table_name: "searches", id: 999_999 } });
    expect(unwrapErr(await jobs.create(search.id, "x".repeat(51)))).toMatchObject({ code: "VALIDATION_FAILED", details: { field: "scraper_name" } });
    expect(unwrapErr(await jobs.start(999_999))).toMatchObject({ code: "RECORD_NOT_FOUND", details: { table_name: "scraping_jobs" } });
  });

  it("two workers starting one job: exactly one wins", async () => {
    const search = unwrap(await searches.create("job race", ["google"]));
    const job = unwrap(await jobs.create(search.id, "google"));
    const outcomes = await Promise.all([jobs.start(job.id), jobs.start(job.id), jobs.start(job.id)]);
    expect(outcomes.filter((outcome) => outcome.isOk())).toHaveLength(1);
  });

  it("lists a search's jobs, oldest first, by status and paged; other searches' jobs never appear", async () => {
    const search = unwrap(await searches.create("job listing", ["google", "bing", "duckduckgo"]));
    const other = unwrap(await searches.create("other search", ["google"]));
    const ids: number[] = [];
    for (const name of ["google", "bing", "duckduckgo"]) ids.push(unwrap(await jobs.create(search.id, name)).id);
    unwrap(await jobs.create(other.id, "google"));
    unwrap(await jobs.start(ids[1] ?? 0));

    const all = unwrap(await jobs.listBySearch(search.id));
    expect(all.records.map((job) => job.id)).toEqual(ids);
    expect(all.totalRecords).toBe(3);
    const pending = unwrap(await jobs.listBySearch(search.id, { status: "pending" }));
    expect(pending.records.map((job) => job.scraper_name)).toEqual(["google", "duckduckgo"]);
    const second = unwrap(await jobs.listBySearch(search.id, { page: 2, pageSize: 2 }));
    expect(second.records.map((job) => job.id)).toEqual([ids[2]]);
    expect(unwrapErr(await jobs.listBySearch(search.id, { status: "running" as never }))).toMatchObject({ code: "VALIDATION_FAILED", details: { field: "status" } });
  });

  it("a search's jobs go with it (ON DELETE CASCADE)", async () => {
    const search = unwrap(await searches.create("cascade", ["google"]));
    unwrap(await jobs.create(search.id, "google"));
    const db = unwrap(fixture.framework.databases.get("ciap"));
    unwrap(await db.transaction((manager) => manager.query(dialectOf(manager.connection).positional("DELETE FROM searches WHERE id = ?"), [search.id])));
    expect(unwrap(await jobs.listBySearch(search.id)).totalRecords).toBe(0);
  });
});

describe("ciap batch status updates", () => {
  const clock = new ManualClock();
  let fixture: CiapFixture;
  let searches: SearchService;

  beforeAll(async () => {
    fixture = await bootCiap("ciap-batch", clock);
    searches = fixture.framework.resolve(fixture.ciap.SearchService);
  });
  afterAll(() => fixture.close());

  it("moves many searches in one transaction (chunked UPDATE … WHERE id IN), stamping each", async () => {
    const ids: number[] = [];
    for (let index = 0; index < 1203; index += 1) ids.push(unwrap(await searches.create(`batch ${index}`)).id);
    clock.advance(10);
    const report = unwrap(await searches.updateStatuses([...ids, ids[0] ?? 0], "completed"));
    expect(report).toEqual({ status: "completed", updated: 1203 });
    const raw = new Database(`${fixture.temp.dataDir}/ciap.db`, { readonly: true });
    const rows = raw.prepare("SELECT status, COUNT(*) AS count, MIN(completed_at) = MAX(completed_at) AS one_instant FROM searches GROUP BY status").all();
    raw.close();
    expect(rows).toEqual([{ status: "completed", count: 1203, one_instant: 1 }]);
    expect(unwrap(await searches.get(ids[600] ?? 0))).toMatchObject({ status: "completed", updated_at: clock.now(), completed_at: clock.now() });
  });

  it("one missing id refuses the whole batch (RECORD_NOT_FOUND listing it); bad input is VALIDATION_FAILED; nothing changes", async () => {
    const a = unwrap(await searches.create("keep a"));
    const b = unwrap(await searches.create("keep b"));
    const refused = unwrapErr(await searches.updateStatuses([a.id, 888_888, b.id], "failed", "boom"));
    expect(refused).toMatchObject({ code: "RECORD_NOT_FOUND", details: { table_name: "searches", missing: [888_888] } });
    expect(unwrap(await searches.get(a.id)).status).toBe("pending");
    expect(unwrap(await searches.get(b.id)).status).toBe("pending");
    expect(unwrapErr(await searches.updateStatuses([], "failed"))).toMatchObject({ code: "VALIDATION_FAILED", details: { field: "ids" } });
    expect(unwrapErr(await searches.updateStatuses([a.id, -4], "failed"))).toMatchObject({ code: "VALIDATION_FAILED", details: { field: "ids[1]" } });
    expect(unwrapErr(await searches.updateStatuses([a.id], "done" as never))).toMatchObject({ code: "VALIDATION_FAILED", details: { field: "status" } });
  });
});
