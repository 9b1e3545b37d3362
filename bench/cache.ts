import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { bootFramework } from "../framework/boot/boot-framework";
import { CacheManager } from "../framework/cache/cache-manager";
import { RedisCacheBackend } from "../framework/cache/redis/redis-cache-backend";
import { Cache } from "../modules/ciap/db-models";
import { redisServerBinary, startRedisServer, type RedisServerHandle } from "../test/support/redis-server";
import { formatRate, type BenchSuite } from "./suite";

/** Latency figures of one operation. */
interface OperationFigures {
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly opsPerSecond: number;
}

/** get/set/increment of one store, each returning normally on success and throwing on failure. */
interface CacheUnderBench {
  readonly name: string;
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<void>;
  increment(key: string): Promise<number>;
}

const ITERATIONS = 3_000;
const WARMUP = 200;
const KEYS = 500;
const VALUE = { id: 42, title: "A typical cached search result", tags: ["a", "b", "c"], score: 0.87 };

function percentile(sorted: readonly number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] ?? Number.NaN;
}

/** Runs `operation` one call at a time (the latency a single caller sees) and measures each call. */
async function measure(operation: (index: number) => Promise<unknown>): Promise<OperationFigures> {
  for (let i = 0; i < WARMUP; i += 1) await operation(i);
  const samples: number[] = [];
  const started = performance.now();
  for (let i = 0; i < ITERATIONS; i += 1) {
    const before = performance.now();
    await operation(i);
    samples.push(performance.now() - before);
  }
  const elapsed = performance.now() - started;
  samples.sort((a, b) => a - b);
  return { p50Ms: percentile(samples, 0.5), p99Ms: percentile(samples, 0.99), opsPerSecond: ITERATIONS / (elapsed / 1000) };
}

function throwing<T>(result: { isErr(): boolean; _unsafeUnwrap(): T; _unsafeUnwrapErr(): unknown }): T {
  if (result.isErr()) throw new Error(JSON.stringify(result._unsafeUnwrapErr()));
  return result._unsafeUnwrap();
}

function viaManager(name: string, cache: CacheManager): CacheUnderBench {
  return {
    name,
    get: async (key) => throwing(await cache.get(key)),
    set: async (key, value) => throwing(await cache.set(key, value, 3600)),
    increment: async (key) => throwing(await cache.increment(key)),
  };
}

async function benchOne(store: CacheUnderBench): Promise<string[][]> {
  for (let i = 0; i < KEYS; i += 1) await store.set(`bench:key:${i}`, VALUE);
  const figures: [string, OperationFigures][] = [
    ["get", await measure((i) => store.get(`bench:key:${i % KEYS}`))],
    ["set", await measure((i) => store.set(`bench:key:${i % KEYS}`, VALUE))],
    ["increment", await measure((i) => store.increment(`bench:counter:${i % 10}`))],
  ];
  return figures.map(([operation, figure]) => [store.name, operation, figure.p50Ms.toFixed(3), figure.p99Ms.toFixed(3), formatRate(figure.opsPerSecond), figure.p99Ms < 10 ? "yes" : "NO"]);
}

function printTable(rows: readonly string[][]): void {
  const headers = ["backend", "op", "p50 ms", "p99 ms", "throughput", "p99<10ms"];
  const widths = headers.map((header, index) => Math.max(header.length, ...rows.map((row) => (row[index] ?? "").length)));
  const line = (cells: readonly string[]) => cells.map((cell, index) => cell.padEnd(widths[index] ?? 0)).join("  ");
  console.log(line(headers));
  for (const row of rows) console.log(line(row));
}

async function redisUrlForBench(workDir: string): Promise<{ url: string; server?: RedisServerHandle } | undefined> {
  const external = process.env.REDIS_URL?.trim();
  if (external !== undefined && external !== "") return { url: external };
  const binary = redisServerBinary();
  if (binary === undefined) return undefined;
  const server = await startRedisServer(binary, workDir);
  return { url: server.url, server };
}

/** `npm run bench -- cache`: the embedded cache, the Redis cache and the ciap `cache` table, side by side. */
export const cacheSuite: BenchSuite = {
  name: "cache",
  description: `p50/p99 latency and ops/s of get/set/increment, one caller, ${ITERATIONS} ops each: embedded (framework db) vs Redis vs ciap's own cache table (repository)`,
  async run() {
    const workDir = mkdtempSync(path.join(os.tmpdir(), "moduledb-bench-cache-"));
    const savedRedisUrl = process.env.REDIS_URL;
    delete process.env.REDIS_URL;
    // rootDir = the compiled tree, which holds modules/ciap, so its cache table exists.
    const framework = await bootFramework({ rootDir: path.resolve(__dirname, ".."), dataDir: path.join(workDir, "data") });
    if (savedRedisUrl !== undefined) process.env.REDIS_URL = savedRedisUrl;
    const rows: string[][] = [];
    let redis: { url: string; server?: RedisServerHandle } | undefined;
    try {
      rows.push(...(await benchOne(viaManager("embedded", framework.resolve(CacheManager)))));

      redis = await redisUrlForBench(workDir);
      if (redis === undefined) {
        console.log("!! Redis backend NOT measured: REDIS_URL is unset and no redis-server binary is installed.");
      } else {
        const redisCache = new CacheManager(await RedisCacheBackend.connect({ url: redis.url, timeoutMs: 1_000 }));
        try {
          rows.push(...(await benchOne(viaManager("redis", redisCache))));
          throwing(await redisCache.deleteByPrefix("bench:"));
        } finally {
          await redisCache.close();
        }
      }

      const ciap = framework.databases.get("ciap");
      if (ciap.isErr()) {
        console.log(`!! ciap cache table NOT measured: ${ciap.error.message}`);
      } else {
        const database = ciap.value;
        const repository = database.repository(Cache);
        const expiry = () => new Date(Date.now() + 3_600_000);
        rows.push(
          ...(await benchOne({
            name: "ciap.cache (repo)",
            async get(key) {
              const row = await repository.createQueryBuilder("c").where("c.key = :key AND c.expires_at > :now", { key, now: new Date() }).getOne();
              return row?.value === null || row === null ? undefined : (JSON.parse(row.value) as unknown);
            },
            async set(key, value) {
              await repository.upsert({ key, value: JSON.stringify(value), expires_at: expiry() }, ["key"]);
            },
            async increment(key) {
              const next = await database.transaction(async (manager) => {
                const row = await manager.findOneBy(Cache, { key });
                const value = (row?.value === undefined || row.value === null ? 0 : Number(JSON.parse(row.value))) + 1;
                await manager.upsert(Cache, { key, value: JSON.stringify(value), expires_at: expiry() }, ["key"]);
                return value;
              });
              if (next.isErr()) throw new Error(next.error.message);
              return next.value;
            },
          })),
        );
      }
      printTable(rows);
      console.log("(one caller at a time; p99 target from seed 004: < 10 ms)");
    } finally {
      await framework.shutdown();
      await redis?.server?.stop();
      rmSync(workDir, { recursive: true, force: true });
    }
  },
};
