import { gunzipSync } from "node:zlib";
import { createClient, RESP_TYPES } from "redis";
import { afterAll, describe, expect, it } from "vitest";
import { bootFramework, FRAMEWORK_DATABASE_NAME, type Framework } from "../../../framework";
import * as repositoryDocs from "../../../modules/docs/module";

type DocsModule = typeof repositoryDocs;
import { createModuleRoot } from "../../support/module-root";
import { openRedisTarget, redisAvailability, redisTarget } from "../../support/redis-target";
import { describeWithService } from "../../support/required-service";
import { dialectOf } from "../../../framework/engines/sql-dialect";

const GZIP = Buffer.from([0x1f, 0x8b]);

describe("docs key patterns (seed 004), declared by the docs module", () => {
  it("build the documented keys with their TTLs; the three 'gzip' patterns say compress, session is a hash", () => {
    const docs = repositoryDocs;
    expect(docs.searchResultsKey("abc")._unsafeUnwrap()).toEqual({ key: "search:results:abc", ttlSeconds: 3600, compress: true, kind: "value" });
    expect(docs.processedContentKey("h1")._unsafeUnwrap()).toEqual({ key: "content:processed:h1", ttlSeconds: 86400, compress: true, kind: "value" });
    expect(docs.aiEvaluationKey("q")._unsafeUnwrap()).toEqual({ key: "ai:evaluation:q", ttlSeconds: 7200, compress: false, kind: "value" });
    expect(docs.githubRepoKey("octo", "hello", "src/a.ts")._unsafeUnwrap()).toEqual({ key: "github:repo:octo/hello:src/a.ts", ttlSeconds: 3600, compress: true, kind: "value" });
    expect(docs.systemConfigKey("7")._unsafeUnwrap()).toEqual({ key: "config:system:7", ttlSeconds: 300, compress: false, kind: "value" });
    expect(docs.apiRateLimitKey("10.0.0.1")._unsafeUnwrap()).toEqual({ key: "rate_limit:api:10.0.0.1", ttlSeconds: 60, compress: false, kind: "value" });
    expect(docs.sessionKey("s-1")._unsafeUnwrap()).toEqual({ key: "session:s-1", ttlSeconds: 1800, compress: false, kind: "hash" });
    expect(docs.sessionKey("has space")._unsafeUnwrapErr().code).toBe("CACHE_INVALID_KEY");
    expect(docs.githubRepoKey("octo", "", "x")._unsafeUnwrapErr().message).toContain("{repo}");
  });
});

interface StoreView {
  payload(key: string): Promise<Buffer | undefined>;
  entry(key: string): Promise<{ type: string; ttlSeconds: number }>;
  close(): Promise<void>;
}

/** Stores through DocsCache on one backend and checks what the store itself holds. */
function describeDocsCache(backend: string, open: (root: string, dataDir: string) => Promise<{ framework: Framework; view: StoreView }>): void {
  describe(`DocsCache on the ${backend} backend`, () => {
    const temp = createModuleRoot(`docs-cache-${backend}`, ["docs"]);
    afterAll(() => temp.remove());

    it("stores small search results, processed content and repo metadata gzip-compressed; other patterns as plain JSON; sessions as hashes with their TTL", async () => {
      const { framework, view } = await open(temp.root, temp.dataDir);
      try {
        const docs = (await import(`${temp.root}/modules/docs/module.ts`)) as DocsModule;
        const cache = framework.resolve(docs.DocsCache);
        const tag = `${process.pid}-${Date.now().toString(36)}`;
        const small = { hits: [1, 2] };
        for (const spec of [docs.searchResultsKey(`q${tag}`), docs.processedContentKey(`c${tag}`), docs.githubRepoKey("octo", `r${tag}`, "README.md")]) {
          expect((await cache.put(spec, small)).isOk()).toBe(true);
          const stored = await view.payload(spec._unsafeUnwrap().key);
          expect(stored?.subarray(0, 2)).toEqual(GZIP);
          expect(JSON.parse(gunzipSync(stored!).toString("utf8"))).toEqual(small);
          expect((await cache.read(spec))._unsafeUnwrap()).toEqual(small);
        }
        const evaluation = docs.aiEvaluationKey(`e${tag}`);
        await cache.put(evaluation, small);
        expect((await view.payload(evaluation._unsafeUnwrap().key))?.toString("utf8")).toBe(JSON.stringify(small));

        expect((await cache.saveSession(`s${tag}`, { user_id: "u1", last_query: "react hooks" })).isOk()).toBe(true);
        expect((await cache.saveSession(`s${tag}`, { last_query: "vue router" })).isOk()).toBe(true);
        expect((await cache.session(`s${tag}`))._unsafeUnwrap()).toEqual({ user_id: "u1", last_query: "vue router" });
        const entry = await view.entry(`session:s${tag}`);
        expect(entry.type).toBe("hash");
        expect(entry.ttlSeconds).toBeGreaterThan(1790);
        expect((await cache.session(`none${tag}`))._unsafeUnwrap()).toBeUndefined();
      } finally {
        await view.close();
        await framework.shutdown();
      }
    });
  });
}

describeDocsCache("embedded", async (root, dataDir) => {
  delete process.env.REDIS_URL;
  const framework = await bootFramework({ rootDir: root, dataDir });
  const database = framework.databases.get(FRAMEWORK_DATABASE_NAME)._unsafeUnwrap();
  const row = async (key: string) => ((await database.dataSource.query(dialectOf(database.dataSource).positional("SELECT value, expires_at FROM cache_entries WHERE key = ?"), [key])) as { value: Buffer; expires_at: number }[])[0];
  return {
    framework,
    view: {
      payload: async (key) => (await row(key))?.value,
      async entry(key) {
        const found = await row(key);
        return found === undefined ? { type: "none", ttlSeconds: -2 } : { type: found.value[0] === 0x00 ? "hash" : "string", ttlSeconds: Math.floor((found.expires_at - Date.now()) / 1000) };
      },
      close: async () => undefined,
    },
  };
});

const target = redisTarget();
describeWithService("redis", redisAvailability(target), "docs cache on redis", () => {
  describeDocsCache("redis", async (root, dataDir) => {
    const redis = await openRedisTarget(target, root);
    process.env.REDIS_URL = redis.url;
    const framework = await bootFramework({ rootDir: root, dataDir });
    delete process.env.REDIS_URL;
    const raw = createClient({ url: redis.url });
    await raw.connect();
    return {
      framework,
      view: {
        payload: async (key) => (await raw.sendCommand<Buffer | null>(["GET", key], { typeMapping: { [RESP_TYPES.BLOB_STRING]: Buffer } })) ?? undefined,
        entry: async (key) => ({ type: String(await raw.sendCommand(["TYPE", key])), ttlSeconds: Number(await raw.sendCommand(["TTL", key])) }),
        async close() {
          await raw.close();
          await redis.release();
        },
      },
    };
  });
});
