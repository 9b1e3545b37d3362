import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { createCompiledRoot, runCli } from "../../support/run-cli";
import { schemaSnapshot, tableRows } from "../../support/schema-snapshot";

const LEASE_COLUMNS = ["run_after", "lease_until", "lease_token"];

function columnNames(file: string): string[] {
  return (schemaSnapshot(file).task_queue?.columns as { name: string }[]).map((column) => column.name);
}

function indexNames(file: string): string[] {
  return (schemaSnapshot(file).task_queue?.indexes as { name: string }[]).map((index) => index.name);
}

/** The rows without the migration's columns: what both schemas hold. */
function sharedValues(rows: Record<string, unknown>[]): Record<string, unknown>[] {
  return rows.map((row) => Object.fromEntries(Object.entries(row).filter(([column]) => !LEASE_COLUMNS.includes(column))));
}

describe("ciap migration 'task lease' on a database with data (real CLI processes)", () => {
  const temp = createCompiledRoot("ciap-task-lease", ["ciap"]);
  const paths = ["--root", temp.root, "--data", temp.dataDir];
  const file = path.join(temp.dataDir, "ciap.db");
  afterAll(() => temp.remove());

  it("down drops the lease columns and index and keeps every task; up brings them back, empty, with every task", async () => {
    const seeded = await runCli(["seed", "ciap", ...paths]);
    expect(seeded.code, seeded.stderr).toBe(0);
    const raw = new Database(file);
    raw.prepare("UPDATE task_queue SET status = 'processing', lease_token = 'held', lease_until = '2030-01-01 00:00:00.000', run_after = '2029-12-31 00:00:00.000' WHERE id = (SELECT MIN(id) FROM task_queue)").run();
    raw.close();
    const before = tableRows(file, "task_queue");
    expect(before.length).toBeGreaterThan(0);
    expect(columnNames(file)).toEqual(expect.arrayContaining(LEASE_COLUMNS));

    const reverted = await runCli(["migration:revert", "ciap", "--json", ...paths]);
    expect(reverted.code, reverted.stderr).toBe(0);
    expect(JSON.stringify(JSON.parse(reverted.stdout))).toMatch(/TaskLease\d{13}/);
    expect(columnNames(file).filter((name) => LEASE_COLUMNS.includes(name))).toEqual([]);
    expect(indexNames(file)).not.toContain("idx_task_queue_lease");
    expect(indexNames(file)).toEqual(expect.arrayContaining(["idx_task_queue_status", "idx_task_queue_dequeue"]));
    expect(tableRows(file, "task_queue")).toEqual(sharedValues(before));

    const applied = await runCli(["migration:run", "ciap", ...paths]);
    expect(applied.code, applied.stderr).toBe(0);
    expect(columnNames(file)).toEqual(expect.arrayContaining(LEASE_COLUMNS));
    expect(indexNames(file)).toContain("idx_task_queue_lease");
    const after = tableRows(file, "task_queue");
    expect(sharedValues(after)).toEqual(sharedValues(before));
    // The values the columns held are gone with them (down dropped them); up starts them empty.
    expect(after.every((row) => LEASE_COLUMNS.every((column) => row[column] === null))).toBe(true);

    const status = await runCli(["migration:status", "ciap", "--json", ...paths]);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toMatch(/TaskLease\d{13}/);
    expect(JSON.parse(status.stdout)).not.toMatchObject({ databases: [{ pending: [expect.anything()] }] });
  });
});
