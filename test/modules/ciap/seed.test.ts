import { afterAll, describe, expect, it } from "vitest";
import { bootFramework, SeedRunner } from "../../../framework";
import { expectOk } from "../../support/expect-ok";
import { tableRows } from "../../support/schema-snapshot";
import { createTempRoot } from "../../support/temp-root";

const TABLES = ["searches", "search_results", "scraping_jobs", "task_queue", "cache", "rate_limits"];

describe("ciap sample-data seed", () => {
  const temp = createTempRoot("seed");
  temp.copyModule("ciap");
  afterAll(() => temp.remove());

  it("creates realistic sample data, and running it twice changes nothing", async () => {
    const framework = await bootFramework({ rootDir: temp.root, dataDir: temp.dataDir });
    let file: string;
    try {
      file = expectOk(framework.databases.get("ciap")).file;
      const first = expectOk(await framework.resolve(SeedRunner).run("ciap"));
      expect(first.map((outcome) => outcome.seed)).toEqual(["sample-data"]);
      expect(first[0]?.created).toEqual({ searches: 5, search_results: 5, scraping_jobs: 9, task_queue: 5, cache: 2, rate_limits: 3 });
    } finally {
      await framework.shutdown();
    }
    const afterFirst = Object.fromEntries(TABLES.map((table) => [table, tableRows(file, table)]));
    for (const table of TABLES) expect(afterFirst[table]?.length, table).toBeGreaterThan(0);
    // Results point at their searches; statuses cover the whole lifecycle.
    const searches = afterFirst.searches as { id: number; status: string }[];
    expect(new Set(searches.map((search) => search.status))).toEqual(new Set(["pending", "processing", "completed", "failed"]));
    for (const result of afterFirst.search_results as { search_id: number }[]) expect(searches.map((search) => search.id)).toContain(result.search_id);

    const again = await bootFramework({ rootDir: temp.root, dataDir: temp.dataDir });
    try {
      const second = expectOk(await again.resolve(SeedRunner).run());
      expect(second).toEqual([{ database: "ciap", module: "ciap", seed: "sample-data", created: {} }]);
    } finally {
      await again.shutdown();
    }
    expect(Object.fromEntries(TABLES.map((table) => [table, tableRows(file, table)]))).toEqual(afterFirst);
  });

  it("rejects an unknown database", async () => {
    const framework = await bootFramework({ rootDir: temp.root, dataDir: temp.dataDir });
    try {
      const result = await framework.resolve(SeedRunner).run("nope");
      expect(result.isErr() && result.error.code).toBe("DATABASE_NOT_FOUND");
      expect(result.isErr() && result.error.message).toContain("ciap");
    } finally {
      await framework.shutdown();
    }
  });
});
