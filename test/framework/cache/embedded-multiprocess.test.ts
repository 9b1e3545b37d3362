import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { bootFramework, CacheManager } from "../../../framework";
import { createTempRoot, REPO_ROOT } from "../../support/temp-root";

const run = promisify(execFile);
const WORKER = path.join(REPO_ROOT, "dist", "test", "support", "cache-increment-worker.js");

describe("embedded cache: increments from several processes", () => {
  const temp = createTempRoot("cache-multiprocess");
  afterAll(() => temp.remove());

  it("3 processes x 200 increments plus 200 in this process end at exactly 800", async () => {
    delete process.env.REDIS_URL;
    const framework = await bootFramework({ rootDir: temp.root, dataDir: temp.dataDir });
    try {
      const cache = framework.resolve(CacheManager);
      const workers = [1, 2, 3].map(() => run(process.execPath, [WORKER, temp.dataDir, "shared:counter", "200"]));
      const local = Promise.all(Array.from({ length: 200 }, () => cache.increment("shared:counter")));
      const outputs = await Promise.all(workers);
      const localResults = await local;
      expect(outputs.map((output) => output.stdout.trim())).toEqual(["done 200", "done 200", "done 200"]);
      expect(localResults.every((result) => result.isOk())).toBe(true);
      expect((await cache.get("shared:counter"))._unsafeUnwrap()).toBe(800);
    } finally {
      await framework.shutdown();
    }
  });
});
