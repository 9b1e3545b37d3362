import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";
import { bootFramework, CacheManager, FRAMEWORK_DATABASE_NAME } from "../../../framework";
import { describeEachEngine } from "../../support/each-engine";
import { createTempRoot, REPO_ROOT } from "../../support/temp-root";

const run = promisify(execFile);
const WORKER = path.join(REPO_ROOT, "dist", "test", "support", "cache-increment-worker.js");

describeEachEngine("embedded cache: increments from several processes", (engine) => {
  const temp = createTempRoot("cache-multiprocess");
  beforeAll(() => engine.use([FRAMEWORK_DATABASE_NAME]));
  afterAll(async () => {
    await engine.release();
    temp.remove();
  });

  it("3 processes x 200 increments plus 200 in this process end at exactly 800", async () => {
    delete process.env.REDIS_URL;
    const framework = await bootFramework({ rootDir: temp.root, dataDir: temp.dataDir });
    try {
      const cache = framework.resolve(CacheManager);
      expect(framework.databases.get(FRAMEWORK_DATABASE_NAME)._unsafeUnwrap().capabilities.fileBased).toBe(engine.kind === "sqlite");
      const workers = [1, 2, 3].map(() => run(process.execPath, [WORKER, temp.dataDir, "shared:counter", "200"], { env: { ...process.env, ...engine.env() } }));
      const local = Promise.all(Array.from({ length: 200 }, () => cache.increment("shared:counter")));
      const outputs = await Promise.all(workers);
      const localResults = await local;
      expect(outputs.map((output) => output.stdout.trim())).toEqual(["done 200", "done 200", "done 200"]);
      expect(localResults.filter((result) => result.isErr()).map((result) => result._unsafeUnwrapErr().message).slice(0, 3)).toEqual([]);
      expect((await cache.get("shared:counter"))._unsafeUnwrap()).toBe(800);
    } finally {
      await framework.shutdown();
    }
  });
});
