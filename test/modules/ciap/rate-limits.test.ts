import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RateLimitService } from "../../../modules/ciap/module";
import { bootCiap, ManualClock, unwrap, unwrapErr, type CiapFixture } from "./ciap-fixture";

describe("ciap rate limits", () => {
  const clock = new ManualClock();
  let fixture: CiapFixture;
  let limits: RateLimitService;

  beforeAll(async () => {
    fixture = await bootCiap("ciap-rate", clock);
    limits = fixture.framework.resolve(fixture.ciap.RateLimitService);
  });
  afterAll(() => fixture.close());

  it("allows a scraper with no requests counted", async () => {
    expect(unwrap(await limits.check("fresh", 3))).toEqual({ scraper_name: "fresh", allowed: true, request_count: 0, remaining: 3, reset_at: null });
  });

  it("counts requests in a fixed window, blocks at the limit and opens a new window once reset_at has passed", async () => {
    const opened = clock.now();
    const first = unwrap(await limits.update("google", 60));
    expect(first).toMatchObject({ scraper_name: "google", request_count: 1 });
    expect(first.reset_at).toEqual(new Date(opened.getTime() + 60_000));
    expect(first.last_request_at).toEqual(opened);

    clock.advance(10);
    unwrap(await limits.update("google", 60));
    clock.advance(10);
    const third = unwrap(await limits.update("google", 60));
    // Later requests do not push the window's end out.
    expect(third).toMatchObject({ request_count: 3 });
    expect(third.reset_at).toEqual(first.reset_at);
    expect(third.last_request_at).toEqual(clock.now());

    expect(unwrap(await limits.check("google", 3))).toMatchObject({ allowed: false, request_count: 3, remaining: 0 });
    expect(unwrap(await limits.check("google", 5))).toMatchObject({ allowed: true, remaining: 2 });
    expect(unwrap(await limits.check("bing", 3))).toMatchObject({ allowed: true, request_count: 0 });

    clock.advance(40); // exactly at reset_at: the window is over
    expect(unwrap(await limits.check("google", 3))).toMatchObject({ allowed: true, request_count: 0, reset_at: null });
    const renewed = unwrap(await limits.update("google", 60));
    expect(renewed.request_count).toBe(1);
    expect(renewed.reset_at).toEqual(new Date(clock.now().getTime() + 60_000));
  });

  it("resets one scraper or all of them", async () => {
    unwrap(await limits.update("duck", 60));
    unwrap(await limits.update("duck", 60));
    unwrap(await limits.update("yahoo", 60));
    expect(unwrap(await limits.reset("duck"))).toBe(1);
    expect(unwrap(await limits.check("duck", 1))).toMatchObject({ allowed: true, request_count: 0 });
    expect(unwrap(await limits.check("yahoo", 1))).toMatchObject({ allowed: false, request_count: 1 });
    expect(unwrap(await limits.reset("nobody"))).toBe(0);

    const rows = unwrap(await limits.reset());
    expect(rows).toBeGreaterThanOrEqual(3);
    expect(unwrap(await limits.check("yahoo", 1))).toMatchObject({ allowed: true, request_count: 0 });
    expect(unwrap(await limits.check("google", 1))).toMatchObject({ allowed: true, request_count: 0 });
  });

  it("lets exactly maxRequests of many concurrent tryAcquire calls through", async () => {
    const outcomes = await Promise.all(Array.from({ length: 20 }, () => limits.tryAcquire("contended", 5, 60)));
    const acquired = outcomes.map(unwrap).filter((outcome) => outcome.acquired);
    expect(acquired.map((outcome) => outcome.request_count).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5]);
    expect(outcomes.map(unwrap).filter((outcome) => !outcome.acquired).every((outcome) => !outcome.allowed && outcome.request_count === 5)).toBe(true);
    expect(unwrap(await limits.check("contended", 5))).toMatchObject({ allowed: false, request_count: 5 });
    clock.advance(61);
    expect(unwrap(await limits.tryAcquire("contended", 5, 60))).toMatchObject({ acquired: true, request_count: 1, allowed: true, remaining: 4 });
  });

  it("refuses bad arguments", async () => {
    expect(unwrapErr(await limits.check("", 3))).toMatchObject({ code: "VALIDATION_FAILED", details: { field: "scraperName" } });
    expect(unwrapErr(await limits.check("g".repeat(51), 3))).toMatchObject({ details: { field: "scraperName" } });
    expect(unwrapErr(await limits.check("google", -1))).toMatchObject({ details: { field: "maxRequests" } });
    expect(unwrapErr(await limits.update("google", 0))).toMatchObject({ details: { field: "windowSeconds" } });
    expect(unwrapErr(await limits.tryAcquire("google", 1.5, 60))).toMatchObject({ details: { field: "maxRequests" } });
  });
});
