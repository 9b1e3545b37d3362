import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCompiledRoot } from "../../support/run-cli";
import { runNode, type ProcessOutcome } from "../../support/run-process";
import { REPO_ROOT, type TempRoot } from "../../support/temp-root";

const CLI = path.join(REPO_ROOT, "bin", "moduledb.js");

const MIGRATION = `"use strict";
class AddHygieneLimit1700000000700 {
  constructor() {
    this.name = "AddHygieneLimit1700000000700";
  }
  async up(queryRunner) {
    await queryRunner.query("INSERT INTO \\"rate_limits\\" (\\"scraper_name\\", \\"request_count\\") VALUES ('hygiene', 0)");
  }
  async down(queryRunner) {
    await queryRunner.query("DELETE FROM \\"rate_limits\\" WHERE \\"scraper_name\\" = 'hygiene'");
  }
}
exports.AddHygieneLimit1700000000700 = AddHygieneLimit1700000000700;
`;

/** Every key of a JSON document, at every depth, except keys of maps keyed by table name. */
function keysOf(value: unknown, into: Set<string> = new Set(), parent = ""): Set<string> {
  if (Array.isArray(value)) for (const item of value) keysOf(item, into, parent);
  else if (typeof value === "object" && value !== null) {
    for (const [key, child] of Object.entries(value)) {
      if (parent !== "row_counts" && parent !== "created") into.add(key);
      keysOf(child, into, key);
    }
  }
  return into;
}

function boots(dataDir: string): number {
  const connection = new Database(path.join(dataDir, "framework.db"), { readonly: true });
  try {
    return (connection.prepare("SELECT COUNT(*) AS n FROM framework_boots").get() as { n: number }).n;
  } finally {
    connection.close();
  }
}

describe("every CLI command honours --root and --data, speaks snake_case JSON, and records no boots", () => {
  let temp: TempRoot;
  let elsewhere: string;
  let dataDir: string;
  let outDir: string;
  const documents = new Map<string, unknown>();

  /** Runs the CLI from a folder with neither modules/ nor data/, with no DATABASE_DIR or MODULEDB_ROOT. */
  async function cli(...args: string[]): Promise<ProcessOutcome> {
    const run = await runNode(CLI, [...args, "--root", temp.root, "--data", dataDir], { DATABASE_DIR: "", MODULEDB_ROOT: "", REDIS_URL: "" }, elsewhere);
    if (args.includes("--json") && run.stdout.trim() !== "") documents.set(args.slice(0, 2).join(" "), JSON.parse(run.stdout));
    return run;
  }

  beforeAll(async () => {
    temp = createCompiledRoot("cli-hygiene", ["ciap"]);
    elsewhere = path.join(temp.root, "elsewhere");
    dataDir = path.join(temp.root, "somewhere", "data");
    outDir = path.join(temp.root, "somewhere", "backups");
    mkdirSync(elsewhere, { recursive: true });
    const seeded = await cli("seed", "ciap", "--json");
    expect(seeded.code, seeded.stderr).toBe(0);
  });
  afterAll(() => temp.remove());

  it("seed", () => {
    expect(existsSync(path.join(dataDir, "ciap.db"))).toBe(true);
    expect(documents.get("seed ciap")).toMatchObject({ seeds: [expect.objectContaining({ database: "ciap", module: "ciap" })] });
  });

  it("status", async () => {
    const run = await cli("status", "--json");
    expect(run.code, run.stderr).toBe(0);
    const status = JSON.parse(run.stdout) as { databases: { name: string; file: string }[] };
    expect(status.databases.map((database) => [database.name, database.file])).toEqual([
      ["ciap", path.join(dataDir, "ciap.db")],
      ["framework", path.join(dataDir, "framework.db")],
    ]);
  });

  it("tables", async () => {
    const run = await cli("tables", "ciap", "--json");
    expect(run.code, run.stderr).toBe(0);
    expect((JSON.parse(run.stdout) as { tables: { name: string; rows: number }[] }).tables.find((table) => table.name === "searches")?.rows).toBe(5);
  });

  it("schema", async () => {
    const run = await cli("schema", "ciap", "search_results", "--json");
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ database: "ciap", table: "search_results" });
  });

  it("check", async () => {
    const run = await cli("check", "--json");
    expect(run.code, run.stderr).toBe(0);
    expect((JSON.parse(run.stdout) as { databases: { file: string }[] }).databases.map((database) => database.file)).toEqual([path.join(dataDir, "ciap.db"), path.join(dataDir, "framework.db")]);
  });

  it("migration:generate", async () => {
    const run = await cli("migration:generate", "ciap", "nothing to do", "--json");
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ database: "ciap", written: false });
  });

  it("migration:status, migration:run, migration:revert", async () => {
    const folder = path.join(temp.root, "modules", "ciap", "migrations");
    mkdirSync(folder, { recursive: true });
    writeFileSync(path.join(folder, "1700000000700-add-hygiene-limit.js"), MIGRATION);
    const status = await cli("migration:status", "ciap", "--json");
    expect(status.code, status.stderr).toBe(0);
    expect((JSON.parse(status.stdout) as { databases: { pending: { name: string }[] }[] }).databases[0]?.pending.map((entry) => entry.name)).toEqual(["AddHygieneLimit1700000000700"]);
    const run = await cli("migration:run", "ciap", "--json");
    expect(run.code, run.stderr).toBe(0);
    expect((JSON.parse(run.stdout) as { databases: { applied: string[] }[] }).databases[0]?.applied).toEqual(["AddHygieneLimit1700000000700"]);
    const revert = await cli("migration:revert", "ciap", "--json");
    expect(revert.code, revert.stderr).toBe(0);
    expect(JSON.parse(revert.stdout)).toMatchObject({ database: "ciap", reverted: ["AddHygieneLimit1700000000700"] });
  });

  it("backup and restore", async () => {
    const backup = await cli("backup", "--out", outDir, "--json");
    expect(backup.code, backup.stderr).toBe(0);
    const printed = JSON.parse(backup.stdout) as { dir: string; manifest: { data_dir: string; databases: { name: string; row_counts: Record<string, number> }[] } };
    expect(printed.manifest.data_dir).toBe(dataDir);
    // moduledb_migrations is the migration state, not one of the module's tables.
    expect(Object.keys(printed.manifest.databases.find((entry) => entry.name === "ciap")?.row_counts ?? {})).not.toContain("moduledb_migrations");
    const restore = await cli("restore", printed.dir, "ciap", "--json");
    expect(restore.code, restore.stderr).toBe(0);
    expect(JSON.parse(restore.stdout)).toMatchObject({ restored: [{ name: "ciap", file: path.join(dataDir, "ciap.db") }] });
  });

  it("log", async () => {
    const run = await cli("log", "--json");
    expect(run.code, run.stderr).toBe(0);
    const kinds = (JSON.parse(run.stdout) as { operations: { kind: string }[] }).operations.map((entry) => entry.kind);
    expect(kinds).toEqual(expect.arrayContaining(["seed", "migration.run", "migration.revert", "backup", "restore"]));
    expect(kinds).not.toContain("boot");
  });

  it("nothing was written outside --data, no command added a boot record, and every --json document is snake_case", () => {
    expect(existsSync(path.join(elsewhere, "data"))).toBe(false);
    expect(existsSync(path.join(elsewhere, "backups"))).toBe(false);
    expect(boots(dataDir)).toBe(0);
    expect([...documents.keys()].sort()).toEqual(["backup --out", "check --json", "log --json", "migration:generate ciap", "migration:revert ciap", "migration:run ciap", "migration:status ciap", "restore " + [...documents.keys()].find((key) => key.startsWith("restore "))?.slice(8), "schema ciap", "seed ciap", "status --json", "tables ciap"].sort());
    const offending = [...documents.entries()].flatMap(([command, document]) => [...keysOf(document)].filter((key) => !/^[a-z][a-z0-9_]*$/.test(key)).map((key) => `${command}: ${key}`));
    expect(offending).toEqual([]);
  });
});
