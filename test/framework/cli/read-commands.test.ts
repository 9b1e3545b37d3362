import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCompiledRoot, runCli } from "../../support/run-cli";
import type { TempRoot } from "../../support/temp-root";

describe("moduledb CLI: read commands (real child processes, real files)", () => {
  let temp: TempRoot;
  let paths: string[];

  beforeAll(async () => {
    temp = createCompiledRoot("cli-read", ["ciap"]);
    paths = ["--root", temp.root, "--data", temp.dataDir];
    const seeded = await runCli(["seed", "ciap", ...paths]);
    expect(seeded.code, seeded.stderr).toBe(0);
  });
  afterAll(() => temp.remove());

  it("status lists every database with file, sizes, tables, row counts, migrations and health", async () => {
    const human = await runCli(["status", ...paths]);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/^database\s+state\s+health\s+size\s+wal\s+tables\s+rows\s+applied\s+pending\s+file$/m);
    expect(human.stdout).toMatch(/^ciap\s+ready\s+ok\s/m);
    expect(human.stdout).toMatch(/^ciap\s+searches\s+5$/m);

    const json = await runCli(["status", "--json", ...paths]);
    expect(json.code).toBe(0);
    const status = JSON.parse(json.stdout) as { databases: { name: string; state: string; healthy: boolean; size_bytes: number; wal_bytes: number; file: string; tables: { name: string; rows: number }[]; migrations: { applied: number; pending: number } }[] };
    expect(status.databases.map((database) => database.name)).toEqual(["ciap", "framework"]);
    const ciap = status.databases[0];
    expect(ciap?.healthy).toBe(true);
    expect(ciap?.file).toBe(`${temp.dataDir}/ciap.db`);
    expect((ciap?.size_bytes ?? 0) + (ciap?.wal_bytes ?? 0)).toBeGreaterThan(0);
    expect(ciap?.tables.find((table) => table.name === "rate_limits")?.rows).toBe(3);
    // The migrations ciap ships (baseline, timestamps, task lease), recorded when the fresh database was created.
    expect(ciap?.migrations).toEqual({ applied: 3, pending: 0, pending_names: [] });
  });

  it("tables <db> lists tables with row counts; unknown database exits 1 naming the available ones", async () => {
    const human = await runCli(["tables", "ciap", ...paths]);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/^search_results\s+5\s+13\s+yes$/m);
    const json = JSON.parse((await runCli(["tables", "ciap", "--json", ...paths])).stdout) as { tables: { name: string; rows: number }[] };
    expect(json.tables.map((table) => table.name)).toEqual(["cache", "rate_limits", "scraping_jobs", "search_results", "searches", "task_queue"]);

    const unknown = await runCli(["tables", "nope", ...paths]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("error [DATABASE_NOT_FOUND]: Database 'nope' not found. Available databases: ciap, framework.");
    const unknownJson = await runCli(["tables", "nope", "--json", ...paths]);
    expect(unknownJson.code).toBe(1);
    expect(JSON.parse(unknownJson.stdout)).toMatchObject({ error: { code: "DATABASE_NOT_FOUND", details: { available_databases: ["ciap", "framework"] } } });
  });

  it("schema <db> <table> shows columns, keys, indexes and foreign keys; unknown table exits 1 naming the tables", async () => {
    const human = await runCli(["schema", "ciap", "search_results", ...paths]);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/^id\s+integer\s+no\s+yes\s+increment$/m);
    expect(human.stdout).toMatch(/^title\s+varchar\(500\)\s+yes$/m);
    expect(human.stdout).toMatch(/^idx_search_results_search_id\s+search_id\s+no$/m);
    expect(human.stdout).toMatch(/search_id\s+searches\(id\)\s+CASCADE/);

    const json = JSON.parse((await runCli(["schema", "ciap", "task_queue", "--json", ...paths])).stdout) as { columns: { name: string; nullable: boolean; default: string | null }[]; indexes: { name: string; columns: string[] }[] };
    expect(json.columns.find((column) => column.name === "priority")).toMatchObject({ nullable: false, default: "5" });
    expect(json.indexes).toContainEqual({ name: "idx_task_queue_dequeue", columns: ["status", "priority", "scheduled_at", "id"], unique: false });

    const unknown = await runCli(["schema", "ciap", "nope", ...paths]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("error [TABLE_NOT_FOUND]: Table 'nope' not found in database 'ciap'. Available tables: cache, rate_limits");
    const unknownDatabase = await runCli(["schema", "nope", "searches", ...paths]);
    expect(unknownDatabase.code).toBe(1);
    expect(unknownDatabase.stderr).toContain("Database 'nope' not found");
  });

  it("wrong command lines exit 2 with usage; --help exits 0 everywhere", async () => {
    const missing = await runCli(["schema", "ciap", ...paths]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("missing required argument 'table'");
    const unknownCommand = await runCli(["frobnicate", ...paths]);
    expect(unknownCommand.code).toBe(2);
    expect(unknownCommand.stderr).toContain("unknown command 'frobnicate'");
    const unknownOption = await runCli(["status", "--bogus", ...paths]);
    expect(unknownOption.code).toBe(2);

    const help = await runCli(["--help"]);
    expect(help.code).toBe(0);
    for (const command of ["status", "tables", "schema", "migration:generate", "migration:run", "migration:revert", "migration:status", "seed", "check"]) {
      expect(help.stdout).toContain(command);
      const commandHelp = await runCli([command, "--help"]);
      expect(commandHelp.code, command).toBe(0);
      expect(commandHelp.stdout, command).toContain(`Usage: moduledb ${command}`);
    }
  });
});
