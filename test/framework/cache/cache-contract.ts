import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CacheManager } from "../../../framework";

/** What a backend under test offers the contract suite. */
export interface CacheUnderTest {
  readonly cache: CacheManager;
  /** The bytes the backend stores for `key`, read behind the CacheManager's back. */
  rawPayload(key: string): Promise<Buffer | undefined>;
  /** What the store itself says the entry is (Redis `TYPE`; the embedded payload's marker) and its remaining TTL in seconds. */
  rawEntry(key: string): Promise<{ type: "hash" | "string" | "none"; ttlSeconds: number }>;
  close(): Promise<void>;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The behaviour every cache backend must show; run once per backend. */
export function describeCacheContract(backendName: string, open: () => Promise<CacheUnderTest>): void {
  describe(`cache contract: ${backendName}`, () => {
    let subject: CacheUnderTest;
    let cache: CacheManager;
    // A fresh namespace per run, so an external REDIS_URL server is never polluted across runs.
    const ns = `t${process.pid}-${Date.now().toString(36)}:`;

    beforeAll(async () => {
      subject = await open();
      cache = subject.cache;
    });
    afterAll(async () => {
      await cache.deleteByPrefix(ns);
      await subject.close();
    });

    it("round-trips JSON values, reports misses as undefined, and deletes", async () => {
      const values: unknown[] = [{ a: 1, nested: { list: [1, "two", null, true] } }, "text", 42, 0, -3.5, null, false, []];
      for (const [index, value] of values.entries()) {
        expect((await cache.set(`${ns}rt:${index}`, value, 60)).isOk()).toBe(true);
        expect((await cache.get(`${ns}rt:${index}`))._unsafeUnwrap()).toEqual(value);
      }
      expect((await cache.get(`${ns}missing`))._unsafeUnwrap()).toBeUndefined();
      expect((await cache.delete(`${ns}rt:0`))._unsafeUnwrap()).toBe(true);
      expect((await cache.delete(`${ns}rt:0`))._unsafeUnwrap()).toBe(false);
      expect((await cache.get(`${ns}rt:0`))._unsafeUnwrap()).toBeUndefined();
    });

    it("expires entries after their TTL", async () => {
      await cache.set(`${ns}ttl`, { v: 1 }, 1);
      expect((await cache.get(`${ns}ttl`))._unsafeUnwrap()).toEqual({ v: 1 });
      await sleep(2_100);
      expect((await cache.get(`${ns}ttl`))._unsafeUnwrap()).toBeUndefined();
      expect((await cache.delete(`${ns}ttl`))._unsafeUnwrap()).toBe(false);
    });

    it("rejects bad keys, TTLs and values with typed errors and changes nothing", async () => {
      await cache.set(`${ns}keep`, "original", 60);
      for (const key of ["", "has space", "tab\tkey", "x".repeat(513)]) {
        const result = await cache.set(key, "v", 60);
        expect(result._unsafeUnwrapErr().code).toBe("CACHE_INVALID_KEY");
      }
      for (const ttl of [0, -1, 1.5, Number.NaN]) {
        expect((await cache.set(`${ns}keep`, "changed", ttl))._unsafeUnwrapErr().code).toBe("CACHE_INVALID_ARGUMENT");
      }
      expect((await cache.set(`${ns}keep`, undefined, 60))._unsafeUnwrapErr().code).toBe("CACHE_SERIALIZATION_FAILED");
      expect((await cache.set(`${ns}keep`, { big: 10n }, 60))._unsafeUnwrapErr().code).toBe("CACHE_SERIALIZATION_FAILED");
      const cyclic: Record<string, unknown> = {};
      cyclic.self = cyclic;
      expect((await cache.set(`${ns}keep`, cyclic, 60))._unsafeUnwrapErr().code).toBe("CACHE_SERIALIZATION_FAILED");
      expect((await cache.increment(`${ns}keep`, 1.5))._unsafeUnwrapErr().code).toBe("CACHE_INVALID_ARGUMENT");
      expect((await cache.get(`${ns}keep`))._unsafeUnwrap()).toBe("original");
    });

    it("increments atomically: 50 concurrent callers end at 50", async () => {
      const key = `${ns}counter`;
      const results = await Promise.all(Array.from({ length: 50 }, () => cache.increment(key)));
      const values = results.map((result) => result._unsafeUnwrap()).sort((a, b) => a - b);
      expect(values).toEqual(Array.from({ length: 50 }, (_, index) => index + 1));
      expect((await cache.get(key))._unsafeUnwrap()).toBe(50);
      expect((await cache.increment(key, -10))._unsafeUnwrap()).toBe(40);
    });

    it("increment with a TTL starts a fixed window; a non-integer entry is refused", async () => {
      const key = `${ns}window`;
      expect((await cache.increment(key, 5, 1))._unsafeUnwrap()).toBe(5);
      expect((await cache.increment(key, 1, 100))._unsafeUnwrap()).toBe(6);
      await sleep(2_100);
      expect((await cache.increment(key, 1, 1))._unsafeUnwrap()).toBe(1);
      await cache.set(`${ns}text`, "abc", 60);
      expect((await cache.increment(`${ns}text`))._unsafeUnwrapErr().code).toBe("CACHE_NOT_AN_INTEGER");
      expect((await cache.get(`${ns}text`))._unsafeUnwrap()).toBe("abc");
    });

    it("getOrSet calls the producer once for 50 concurrent callers, then serves the cache", async () => {
      let calls = 0;
      const producer = async () => {
        calls += 1;
        await sleep(50);
        return { produced: calls };
      };
      const results = await Promise.all(Array.from({ length: 50 }, () => cache.getOrSet(`${ns}flight`, 60, producer)));
      expect(calls).toBe(1);
      for (const result of results) expect(result._unsafeUnwrap()).toEqual({ produced: 1 });
      expect((await cache.getOrSet(`${ns}flight`, 60, producer))._unsafeUnwrap()).toEqual({ produced: 1 });
      expect(calls).toBe(1);
      const failed = await cache.getOrSet(`${ns}failing`, 60, () => Promise.reject(new Error("boom")));
      expect(failed._unsafeUnwrapErr().code).toBe("CACHE_PRODUCER_FAILED");
      expect((await cache.get(`${ns}failing`))._unsafeUnwrap()).toBeUndefined();
    });

    it("compresses large values transparently and round-trips them", async () => {
      const large = { rows: Array.from({ length: 5_000 }, (_, index) => ({ id: index, title: `document ${index}`, body: "lorem ipsum ".repeat(5) })) };
      const json = Buffer.from(JSON.stringify(large));
      await cache.set(`${ns}large`, large, 60);
      expect((await cache.get(`${ns}large`))._unsafeUnwrap()).toEqual(large);
      const stored = await subject.rawPayload(`${ns}large`);
      expect(stored).toBeDefined();
      expect(stored!.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
      expect(stored!.length).toBeLessThan(json.length / 5);
      expect(gunzipSync(stored!)).toEqual(json);
      await cache.set(`${ns}small`, { tiny: true }, 60);
      expect((await subject.rawPayload(`${ns}small`))!.toString("utf8")).toBe('{"tiny":true}');
    });

    it("set with compress: true gzips a value whatever its size", async () => {
      await cache.set(`${ns}forced`, { tiny: true }, 60, { compress: true });
      const stored = await subject.rawPayload(`${ns}forced`);
      expect(stored!.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
      expect(gunzipSync(stored!).toString("utf8")).toBe('{"tiny":true}');
      expect((await cache.get(`${ns}forced`))._unsafeUnwrap()).toEqual({ tiny: true });
    });

    it("hashes: hashSet merges fields and sets the TTL in one step (a real hash on the store), hashGetAll reads them, types never mix", async () => {
      const key = `${ns}session:s1`;
      expect((await cache.hashGetAll(key))._unsafeUnwrap()).toBeUndefined();
      expect((await cache.hashSet(key, { user: "ada", step: "1" }, 1800)).isOk()).toBe(true);
      expect((await cache.hashSet(key, { step: "2", page: "/search" }, 1800)).isOk()).toBe(true);
      expect((await cache.hashGetAll(key))._unsafeUnwrap()).toEqual({ user: "ada", step: "2", page: "/search" });
      const entry = await subject.rawEntry(key);
      expect(entry.type).toBe("hash");
      expect(entry.ttlSeconds).toBeGreaterThan(1790);
      expect(entry.ttlSeconds).toBeLessThanOrEqual(1800);

      expect((await cache.get(key))._unsafeUnwrapErr().code).toBe("CACHE_WRONG_TYPE");
      expect((await cache.increment(key))._unsafeUnwrapErr().code).toBe("CACHE_WRONG_TYPE");
      await cache.set(`${ns}plain`, "v", 60);
      expect((await cache.hashSet(`${ns}plain`, { a: "b" }, 60))._unsafeUnwrapErr().code).toBe("CACHE_WRONG_TYPE");
      expect((await cache.hashGetAll(`${ns}plain`))._unsafeUnwrapErr().code).toBe("CACHE_WRONG_TYPE");
      expect((await cache.hashSet(`${ns}empty`, {}, 60))._unsafeUnwrapErr().code).toBe("CACHE_INVALID_ARGUMENT");
      expect((await cache.hashSet(`${ns}bad`, { a: 1 as unknown as string }, 60))._unsafeUnwrapErr().code).toBe("CACHE_INVALID_ARGUMENT");
      expect((await cache.hashSet(`${ns}bad`, { a: "1" }, 0))._unsafeUnwrapErr().code).toBe("CACHE_INVALID_ARGUMENT");

      await cache.hashSet(`${ns}short`, { a: "1" }, 1);
      await sleep(1_150);
      expect((await cache.hashGetAll(`${ns}short`))._unsafeUnwrap()).toBeUndefined();
      // An expired hash is gone: the key can hold a value again.
      expect((await cache.set(`${ns}short`, "now a value", 60)).isOk()).toBe(true);
      expect((await cache.delete(key))._unsafeUnwrap()).toBe(true);
    });

    it("deleteByPrefix removes exactly the keys with that literal prefix", async () => {
      for (const key of ["p:a*1", "p:a*2", "p:ab", "p:b", "q:a*1"]) await cache.set(`${ns}${key}`, key, 60);
      expect((await cache.deleteByPrefix(`${ns}p:a*`))._unsafeUnwrap()).toBe(2);
      expect((await cache.get(`${ns}p:ab`))._unsafeUnwrap()).toBe("p:ab");
      expect((await cache.get(`${ns}q:a*1`))._unsafeUnwrap()).toBe("q:a*1");
      expect((await cache.deleteByPrefix(`${ns}p:`))._unsafeUnwrap()).toBe(2);
      expect((await cache.deleteByPrefix(""))._unsafeUnwrapErr().code).toBe("CACHE_INVALID_KEY");
    });
  });
}
