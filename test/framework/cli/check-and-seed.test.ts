import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tableRows } from "../../support/schema-snapshot";
import { createCompiledRoot, runCli } from "../../support/run-cli";
import type { TempRoot } from "../../support/temp-root";

describe("moduledb CLI: seed and check (real child processes, real files)", () => {
  let temp: TempRoot;
  let paths: string[];
  let file: string;

  beforeAll(() => {
    temp = createCompiledRoot("cli-check", ["ciap"]);
    paths = ["--root", temp.root, "--data", temp.dataDir];
    file = path.join(temp.dataDir, "ciap.db");
  });
  afterAll(() => temp.remove());

  it("seed creates the sample data once; running it again changes nothing", async () => {
    const first = await runCli(["seed", ...paths]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/^ciap\s+ciap\s+sample-data\s+searches: 5, search_results: 5, scraping_jobs: 9, task_queue: 5, cache: 2, rate_limits: 3$/m);
    const snapshot = ["searches", "search_results", "scraping_jobs", "task_queue", "cache", "rate_limits"].map((table) => tableRows(file, table));
    const second = await runCli(["seed", "ciap", ...paths]);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/^ciap\s+ciap\s+sample-data\s+nothing \(already seeded\)$/m);
    expect(["searches", "search_results", "scraping_jobs", "task_queue", "cache", "rate_limits"].map((table) => tableRows(file, table))).toEqual(snapshot);
    const unknown = await runCli(["seed", "nope", ...paths]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("error [DATABASE_NOT_FOUND]: Database 'nope' not found. Available databases: ciap, framework.");
  });

  it("check passes on sound databases and exits 1 on a foreign key violation", async () => {
    const sound = await runCli(["check", ...paths]);
    expect(sound.code, sound.stderr).toBe(0);
    expect(sound.stdout).toMatch(/^ciap\s+ok\s+ok\s+ok$/m);
    expect(sound.stdout).toMatch(/^framework\s+ok\s+ok\s+ok$/m);

    // Break referential integrity behind the framework's back: foreign keys off on a raw connection.
    const raw = new Database(file);
    raw.pragma("foreign_keys = OFF");
    raw.prepare(`INSERT INTO search_results (search_id, source, title) VALUES (9999, 'google', 'orphan')`).run();
    raw.close();

    const broken = await runCli(["check", "ciap", ...paths]);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(/^ciap\s+ok\s+1 violation\(s\)\s+PROBLEM$/m);
    expect(broken.stdout).toContain("search_results rowid 6 references a missing row of searches");
    expect(broken.stderr).toContain("error [CHECK_FAILED]: Integrity problems in: ciap.");

    const json = await runCli(["check", "--json", ...paths]);
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout) as { ok: boolean; databases: { database: string; ok: boolean; foreign_key_violations: unknown[] }[] };
    expect(report.ok).toBe(false);
    expect(report.databases.map((database) => [database.database, database.ok, database.foreign_key_violations.length])).toEqual([
      ["ciap", false, 1],
      ["framework", true, 0],
    ]);

    const unknown = await runCli(["check", "nope", ...paths]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("Database 'nope' not found");
  });

  it("check exits 1 on a corrupted file", async () => {
    const raw = new Database(file);
    raw.pragma("journal_mode = DELETE");
    raw.close();
    const { openSync, writeSync, closeSync, statSync } = await import("node:fs");
    const descriptor = openSync(file, "r+");
    // Overwrite every page after the first (tables and indexes), leaving the header and schema intact.
    const size = statSync(file).size;
    expect(size).toBeGreaterThan(8192);
    writeSync(descriptor, Buffer.alloc(size - 4096, 0x5a), 0, size - 4096, 4096);
    closeSync(descriptor);
    const corrupted = await runCli(["check", "ciap", "--json", ...paths]);
    expect(corrupted.code).toBe(1);
    const report = JSON.parse(corrupted.stdout) as { ok: boolean; databases: { ok: boolean }[] };
    expect(report.ok).toBe(false);
    expect(report.databases[0]?.ok).toBe(false);
  });
});
