import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCompiledRoot, runCli, type CliRun } from "../../support/run-cli";
import type { TempRoot } from "../../support/temp-root";

describe("moduledb log (real CLI process): table, filters, and bad options refused with usage", () => {
  let temp: TempRoot;
  const log = (...args: string[]): Promise<CliRun> => runCli(["log", ...args, "--root", temp.root, "--data", temp.dataDir], { DATABASE_DIR: "", MODULEDB_ROOT: "", REDIS_URL: "" });

  beforeAll(() => {
    temp = createCompiledRoot("log-command", ["ciap"]);
  });
  afterAll(() => temp.remove());

  it("says so when nothing was recorded, then lists a seed run as a table row", async () => {
    const empty = await log();
    expect(empty.code, empty.stderr).toBe(0);
    expect(empty.stdout.trim()).toBe("No operations recorded.");

    const seeded = await runCli(["seed", "ciap", "--root", temp.root, "--data", temp.dataDir], { DATABASE_DIR: "", MODULEDB_ROOT: "", REDIS_URL: "" });
    expect(seeded.code, seeded.stderr).toBe(0);
    const table = await log();
    expect(table.code, table.stderr).toBe(0);
    const [header, rule, row, ...rest] = table.stdout.trim().split("\n");
    expect(header?.split(/\s{2,}/)).toEqual(["at", "kind", "outcome", "database", "actor", "message"]);
    expect(rule).toMatch(/^[- ]+$/);
    expect(row).toMatch(/^\S+Z\s+seed\s+ok\s+ciap\s+cli pid \d+ .*Ran 1 seed script\(s\) of 'ciap'\.$/);
    expect(rest).toEqual([]);
  });

  it("filters by kind and database and honours --limit", async () => {
    const seeds = await log("--kind", "seed", "--limit", "1", "--json");
    expect(seeds.code, seeds.stderr).toBe(0);
    expect((JSON.parse(seeds.stdout) as { operations: { kind: string; database: string }[] }).operations).toMatchObject([{ kind: "seed", database: "ciap" }]);
    const backups = await log("--kind", "backup", "--json");
    expect(JSON.parse(backups.stdout)).toEqual({ operations: [] });
    const elsewhere = await log("--database", "no_such_database");
    expect(elsewhere.stdout.trim()).toBe("No operations recorded.");
  });

  it.each([
    [["--limit", "0"], "option '--limit <n>' argument '0' is invalid. expected a whole number from 1 to 1000"],
    [["--limit", "1001"], "expected a whole number from 1 to 1000"],
    [["--limit", "ten"], "expected a whole number from 1 to 1000"],
    [["--kind", "nope"], "option '--kind <kind>' argument 'nope' is invalid. expected one of boot, shutdown, migration.run"],
  ])("%j exits 2 naming the option, with the usage, and prints nothing on stdout", async (args, message) => {
    const run = await log(...args);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stderr).toContain("Usage: moduledb log|operations [options]");
    expect(run.stdout).toBe("");
  });
});
