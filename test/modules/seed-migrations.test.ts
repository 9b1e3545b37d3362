import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { bootFramework, MIGRATIONS_TABLE, MigrationService, REVERT_ALL, SeedRunner, type Framework } from "../../framework";
import { expectOk } from "../support/expect-ok";
import { allTables, schemaSnapshot, tableRows } from "../support/schema-snapshot";
import { createTempRoot, type TempRoot } from "../support/temp-root";

/** The seed modules and the migrations each ships, oldest first. */
const SEED_MODULES = ["ciap", "scraper", "docs"] as const;

function appliedModes(file: string): { name: string; mode: string }[] {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare(`SELECT name, mode FROM "${MIGRATIONS_TABLE}" ORDER BY id`).all() as { name: string; mode: string }[];
  } finally {
    db.close();
  }
}

function userTableNames(file: string): string[] {
  return allTables(file).filter((name) => !name.startsWith("sqlite_") && !name.startsWith("moduledb_") && name !== "typeorm_metadata");
}

async function withFramework<T>(temp: TempRoot, work: (framework: Framework) => Promise<T>): Promise<T> {
  const framework = await bootFramework({ rootDir: temp.root, dataDir: temp.dataDir });
  try {
    return await work(framework);
  } finally {
    await framework.shutdown();
  }
}

describe.each(SEED_MODULES)("seed module %s: shipped migrations up and down on its real schema", (module) => {
  const temp = createTempRoot(`seed-mig-${module}`);
  temp.copyModule(module);
  const file = `${temp.dataDir}/${module}.db`;
  afterAll(() => temp.remove());

  it("ships an initial (baseline) migration; revert --to base drops every table, run rebuilds exactly the entities' schema, and the seed works on it", async () => {
    const fresh = await withFramework(temp, async (framework) => {
      expectOk(await framework.resolve(SeedRunner).run(module));
      return schemaSnapshot(file);
    });
    const recorded = appliedModes(file);
    expect(recorded.length).toBeGreaterThan(0);
    // A fresh database is created from the entities: its migrations are recorded, not run.
    expect(recorded.every((entry) => entry.mode === "baseline")).toBe(true);

    await withFramework(temp, async (framework) => {
      const migrations = framework.resolve(MigrationService);
      const reverted = expectOk(await migrations.revert(module, { to: REVERT_ALL }));
      expect(reverted.reverted.map((outcome) => outcome.name)).toEqual(recorded.map((entry) => entry.name).reverse());
      expect(userTableNames(file)).toEqual([]);
      const run = expectOk(await migrations.run(module));
      expect(run.flatMap((report) => report.applied.map((outcome) => outcome.name))).toEqual(recorded.map((entry) => entry.name));
    });
    // Every `up` ran in order: the schema is the one the entities create, column for column.
    expect(schemaSnapshot(file)).toEqual(fresh);
    expect(appliedModes(file).every((entry) => entry.mode === "run")).toBe(true);
    await withFramework(temp, async (framework) => {
      expect(framework.databases.entry(module)?.state).toBe("ready");
      expectOk(await framework.resolve(SeedRunner).run(module));
    });
  });

  it("a database made before the module shipped migrations (tables and rows, nothing recorded) records the initial migration as baseline, runs the later ones and keeps its rows", async () => {
    const [initial, ...later] = appliedModes(file);
    // The schema as it was when the module had no migrations: the initial migration's.
    if (later.length > 0) await withFramework(temp, async (framework) => void expectOk(await framework.resolve(MigrationService).revert(module, { to: initial?.name ?? "" })));
    const tablesWithRows = userTableNames(file).filter((table) => tableRows(file, table).length > 0);
    expect(tablesWithRows.length).toBeGreaterThan(0);
    const rowsBefore = Object.fromEntries(tablesWithRows.map((table) => [table, tableRows(file, table)]));
    const raw = new Database(file);
    raw.exec(`DELETE FROM "${MIGRATIONS_TABLE}"`);
    raw.close();

    await withFramework(temp, async (framework) => {
      expect(framework.databases.entry(module)?.state).toBe("ready");
    });
    expect(appliedModes(file)).toEqual([{ name: initial?.name, mode: "baseline" }, ...later.map((entry) => ({ name: entry.name, mode: "run" }))]);
    for (const table of tablesWithRows) {
      const before = rowsBefore[table] ?? [];
      // Later migrations may add columns; every value the rows had is still there.
      expect(tableRows(file, table).map((row) => Object.fromEntries(Object.keys(before[0] ?? {}).map((key) => [key, row[key]])))).toEqual(before);
    }
  });
});

describe("ciap: created_at/updated_at on every model, through the shipped migration, on data", () => {
  const temp = createTempRoot("seed-mig-ciap-stamps");
  temp.copyModule("ciap");
  const file = `${temp.dataDir}/ciap.db`;
  const STAMPED = ["searches", "search_results", "cache", "task_queue", "scraping_jobs", "rate_limits"];
  const columnsOf = (table: string): string[] => (schemaSnapshot(file)[table]?.columns as { name: string }[]).map((column) => column.name);
  afterAll(() => temp.remove());

  it("every ciap model has created_at and updated_at; down removes the new ones keeping every row, up brings them back filled", async () => {
    await withFramework(temp, async (framework) => expectOk(await framework.resolve(SeedRunner).run("ciap")));
    for (const table of STAMPED) expect(columnsOf(table)).toEqual(expect.arrayContaining(["created_at", "updated_at"]));
    const fresh = schemaSnapshot(file);
    const countsBefore = Object.fromEntries(STAMPED.map((table) => [table, tableRows(file, table).length]));
    const jobsBefore = tableRows(file, "scraping_jobs").map(({ created_at: _created, updated_at: _updated, ...rest }) => rest);

    await withFramework(temp, async (framework) => {
      const migrations = framework.resolve(MigrationService);
      const [baseline] = appliedModes(file);
      const reverted = expectOk(await migrations.revert("ciap", { to: baseline?.name ?? "" }));
      expect(reverted.reverted).toHaveLength(1);
      expect(columnsOf("task_queue")).not.toContain("created_at");
      expect(columnsOf("rate_limits")).not.toContain("updated_at");
      expect(columnsOf("cache")).toEqual(["key", "value", "expires_at", "created_at"]);
      for (const table of STAMPED) expect(tableRows(file, table)).toHaveLength(countsBefore[table] ?? -1);
      // While the migration is pending the database is refused, not served on the old schema.
      expect(framework.databases.entry("ciap")?.state).toBe("refused");

      expectOk(await migrations.run("ciap"));
      expect(framework.databases.entry("ciap")?.state).toBe("ready");
    });
    expect(schemaSnapshot(file)).toEqual(fresh);
    for (const table of STAMPED) {
      const rows = tableRows(file, table);
      expect(rows).toHaveLength(countsBefore[table] ?? -1);
      for (const row of rows) expect([row.created_at, row.updated_at]).toEqual([expect.any(String), expect.any(String)]);
    }
    expect(tableRows(file, "scraping_jobs").map(({ created_at: _created, updated_at: _updated, ...rest }) => rest)).toEqual(jobsBefore);
  });
});
