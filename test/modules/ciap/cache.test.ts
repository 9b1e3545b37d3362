import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CrudService } from "../../../framework";
import type { CiapCacheService } from "../../../modules/ciap/module";
import { bootCiap, ManualClock, unwrap, unwrapErr, type CiapFixture } from "./ciap-fixture";

describe("ciap cache", () => {
  const clock = new ManualClock();
  let fixture: CiapFixture;
  let cache: CiapCacheService;
  let crud: CrudService;

  beforeAll(async () => {
    fixture = await bootCiap("ciap-cache", clock);
    cache = fixture.framework.resolve(fixture.ciap.CiapCacheService);
    crud = fixture.framework.resolve(CrudService);
  });
  afterAll(() => fixture.close());

  it("returns a live value, nothing once it has expired, and cleans up only the expired (seed test_cache_operations)", async () => {
    unwrap(await cache.set("test_key", "test_value", 3600));
    expect(unwrap(await cache.get("test_key"))).toBe("test_value");

    unwrap(await cache.set("expired_key", "expired_value", 1));
    clock.advance(2);
    expect(unwrap(await cache.get("expired_key"))).toBeNull();
    expect(unwrap(await cache.get("test_key"))).toBe("test_value");

    expect(unwrap(await cache.cleanupExpired())).toBe(1);
    expect(unwrap(await crud.count("ciap", "cache", [{ column: "key", op: "eq", value: "expired_key" }]))).toBe(0);
    expect(unwrap(await crud.count("ciap", "cache", [{ column: "key", op: "eq", value: "test_key" }]))).toBe(1);
    expect(unwrap(await cache.delete("test_key"))).toBe(true);
  });

  it("treats an entry as expired from its expires_at on, and cleanup deletes exactly the expired ones", async () => {
    const ttls = { short: 10, medium: 100, long: 1000, exact: 50 };
    for (const [key, ttl] of Object.entries(ttls)) unwrap(await cache.set(key, `value of ${key}`, ttl));
    clock.advance(50);

    expect(unwrap(await cache.get("short"))).toBeNull();
    expect(unwrap(await cache.get("exact"))).toBeNull();
    expect(unwrap(await cache.get("medium"))).toBe("value of medium");
    expect(unwrap(await cache.cleanupExpired())).toBe(2);
    expect(unwrap(await cache.cleanupExpired())).toBe(0);
    const left = unwrap(await crud.list("ciap", "cache", { sort: [{ column: "key", direction: "asc" }] })).records.map((record) => record.key);
    expect(left).toEqual(["long", "medium"]);

    clock.advance(51);
    expect(unwrap(await cache.cleanupExpired())).toBe(1);
    expect(unwrap(await cache.get("long"))).toBe("value of long");
    unwrap(await cache.delete("long"));
  });

  it("replaces an entry on set (value and expiry), keeping one row per key", async () => {
    const first = unwrap(await cache.set("upsert", "one", 10));
    clock.advance(5);
    const second = unwrap(await cache.set("upsert", "two", 60));
    expect(second.value).toBe("two");
    expect(second.expires_at.getTime()).toBe(clock.now().getTime() + 60_000);
    expect(second.expires_at.getTime()).toBeGreaterThan(first.expires_at.getTime());
    expect(unwrap(await crud.count("ciap", "cache", [{ column: "key", op: "eq", value: "upsert" }]))).toBe(1);
    clock.advance(30);
    expect(unwrap(await cache.get("upsert"))).toBe("two");
    unwrap(await cache.set("empty", "", 10));
    expect(unwrap(await cache.get("empty"))).toBe("");
  });

  it("deletes an entry and reports whether there was one", async () => {
    unwrap(await cache.set("doomed", "x", 10));
    expect(unwrap(await cache.delete("doomed"))).toBe(true);
    expect(unwrap(await cache.delete("doomed"))).toBe(false);
    expect(unwrap(await cache.get("doomed"))).toBeNull();
  });

  it("refuses bad keys, values and TTLs and writes nothing", async () => {
    const before = unwrap(await crud.count("ciap", "cache"));
    for (const ttl of [0, -5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(unwrapErr(await cache.set("k", "v", ttl))).toMatchObject({ code: "VALIDATION_FAILED", details: { field: "ttlSeconds" } });
    }
    expect(unwrapErr(await cache.set("", "v", 10))).toMatchObject({ details: { field: "key" } });
    expect(unwrapErr(await cache.set("k".repeat(256), "v", 10))).toMatchObject({ details: { field: "key" } });
    expect(unwrapErr(await cache.set("k", 42 as unknown as string, 10))).toMatchObject({ details: { field: "value" } });
    expect(unwrapErr(await cache.get(""))).toMatchObject({ code: "VALIDATION_FAILED" });
    expect(unwrap(await crud.count("ciap", "cache"))).toBe(before);
  });

  it("expires entries in real time with the system clock", async () => {
    const real = await bootCiap("ciap-cache-real");
    try {
      const realCache = real.framework.resolve(real.ciap.CiapCacheService);
      unwrap(await realCache.set("brief", "here", 0.3));
      expect(unwrap(await realCache.get("brief"))).toBe("here");
      await sleep(400);
      expect(unwrap(await realCache.get("brief"))).toBeNull();
      expect(unwrap(await realCache.cleanupExpired())).toBe(1);
    } finally {
      await real.close();
    }
  });
});
