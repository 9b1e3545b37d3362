import { cpSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { runNode } from "../../support/run-process";
import { stderrWithoutSlowStatements } from "../../support/stderr-lines";
import { createTempRoot, REPO_ROOT } from "../../support/temp-root";
import type { WriterReport } from "../../support/writer-worker";

/** A compiled-JS module (child processes run plain Node): v1 has `things`; v2 adds a column, an index and a table. */
function upgradeModels(v2: boolean): string {
  const note = v2 ? `, note: { type: "text", nullable: true }` : "";
  const noteIndex = v2 ? `, { name: "idx_things_note", columns: ["note"] }` : "";
  const extras = v2 ? `exports.Extra = new EntitySchema({ name: "Extra", tableName: "extras", columns: { id: { type: "integer", primary: true, generated: "increment" } } });` : "";
  return `const { EntitySchema } = require("typeorm");
exports.DATABASE_NAME = "upgrade";
exports.Thing = new EntitySchema({ name: "Thing", tableName: "things", columns: { id: { type: "integer", primary: true, generated: "increment" }, title: { type: "varchar", length: 100 }${note} }, indices: [{ name: "idx_things_title", columns: ["title"] }${noteIndex}] });
${extras}
`;
}

const WORKER = path.join(REPO_ROOT, "dist", "test", "support", "writer-worker.js");
const WRITERS = 4;
const TRANSACTIONS = 300;
const CREATES = 100;

describe("several OS processes writing to one database", () => {
  const temp = createTempRoot("multi-process");
  afterAll(() => temp.remove());

  it(`${WRITERS} processes × ${TRANSACTIONS} transactions + ${CREATES} creates: every write lands, no errors, retries reported`, async () => {
    const env = {
      DATABASE_DIR: temp.dataDir,
      // A tiny busy timeout makes SQLite give up on locks almost at once, so contention surfaces
      // as SQLITE_BUSY and goes through the framework's own retry with backoff.
      SQLITE_BUSY_TIMEOUT: "1",
      DATABASE_MAX_RETRIES: "100",
      DATABASE_RETRY_BASE_DELAY: "2",
    };
    const writers = Array.from({ length: WRITERS }, (_, i) => `writer${i}`);
    const barrier = path.join(temp.root, "barrier");
    mkdirSync(barrier);
    let exited = 0;
    const children = writers.map((writer) => runNode(WORKER, [writer, String(TRANSACTIONS), String(CREATES), barrier], env).finally(() => (exited += 1)));
    // Every writer boots (all at once, on a fresh folder), then they all start writing together.
    // A writer that dies before it is ready releases the others instead of leaving them waiting.
    while (exited === 0 && writers.some((writer) => !existsSync(path.join(barrier, `ready-${writer}`)))) await sleep(10);
    writeFileSync(path.join(barrier, "go"), "");
    const outcomes = await Promise.all(children);

    const reports = outcomes.map((outcome, i) => {
      expect(stderrWithoutSlowStatements(outcome.stderr), `stderr of ${writers[i]}`).toBe("");
      expect(outcome.code, `exit code of ${writers[i]}`).toBe(0);
      return JSON.parse(outcome.stdout.trim().split("\n").at(-1) ?? "{}") as WriterReport;
    });
    console.log("lock retries per writer:", Object.fromEntries(reports.map((report) => [report.writer, { retries: report.retries, lockedFailures: report.lockedFailures }])));

    const file = path.join(temp.dataDir, "ciap.db");
    const connection = new Database(file, { readonly: true });
    try {
      for (const report of reports) {
        expect(report.errors).toEqual([]);
        expect(report.acknowledgedTransactions).toBe(TRANSACTIONS);
        expect(report.acknowledgedCreates).toBe(CREATES);
        expect(report.lockedFailures).toBe(0);
        expect(Number.isInteger(report.retries) && report.retries >= 0).toBe(true);
        const { tasks } = connection.prepare("SELECT COUNT(*) AS tasks FROM task_queue WHERE task_type = ?").get(report.writer) as { tasks: number };
        expect(tasks).toBe(TRANSACTIONS * 2);
        const { searches } = connection.prepare("SELECT COUNT(*) AS searches FROM searches WHERE query LIKE ?").get(`${report.writer}-%`) as { searches: number };
        expect(searches).toBe(CREATES);
        // Both halves of every transaction are there: no transaction landed half-way.
        const parts = connection.prepare("SELECT json_extract(payload, '$.part') AS part, COUNT(*) AS n FROM task_queue WHERE task_type = ? GROUP BY part ORDER BY part").all(report.writer);
        expect(parts).toEqual([{ part: 1, n: TRANSACTIONS }, { part: 2, n: TRANSACTIONS }]);
      }
    } finally {
      connection.close();
    }
    expect(reports.reduce((total, report) => total + report.retries, 0)).toBeGreaterThan(0);
  });

  it("lets several processes boot at once on a fresh data folder (3 rounds × 4 processes, no busy timeout)", async () => {
    for (let round = 0; round < 3; round += 1) {
      const dataDir = path.join(temp.root, `fresh-${round}`);
      const env = { DATABASE_DIR: dataDir, SQLITE_BUSY_TIMEOUT: "0", DATABASE_MAX_RETRIES: "100", DATABASE_RETRY_BASE_DELAY: "2" };
      const outcomes = await Promise.all(Array.from({ length: WRITERS }, (_, i) => runNode(WORKER, [`booter${i}`, "1", "1"], env)));
      for (const outcome of outcomes) {
        expect(stderrWithoutSlowStatements(outcome.stderr)).toBe("");
        expect(outcome.code).toBe(0);
        expect((JSON.parse(outcome.stdout.trim()) as WriterReport).errors).toEqual([]);
      }
      const connection = new Database(path.join(dataDir, "framework.db"), { readonly: true });
      try {
        expect(connection.prepare("SELECT COUNT(*) AS n FROM framework_boots WHERE status = 'ready'").get()).toEqual({ n: WRITERS });
      } finally {
        connection.close();
      }
    }
    // Twelve process boots (about 2 s each, most of it loading modules) on a shared 2-core machine.
  }, 180_000);

  it("lets several processes boot at once on an existing database whose entities gained a table, column and index", async () => {
    const upgrade = createTempRoot("multi-process-upgrade", "compiled");
    try {
      cpSync(path.join(REPO_ROOT, "dist", "modules", "ciap"), path.join(upgrade.root, "modules", "ciap"), { recursive: true });
      upgrade.writeModuleFile("upgrade", "db-models.js", upgradeModels(false));
      const env = { DATABASE_DIR: upgrade.dataDir, MODULEDB_ROOT: upgrade.root, SQLITE_BUSY_TIMEOUT: "0", DATABASE_MAX_RETRIES: "100", DATABASE_RETRY_BASE_DELAY: "2" };
      const first = await runNode(WORKER, ["first", "1", "1"], env);
      expect(stderrWithoutSlowStatements(first.stderr)).toBe("");
      expect((JSON.parse(first.stdout.trim()) as WriterReport).databases.upgrade).toBe("ready");

      upgrade.writeModuleFile("upgrade", "db-models.js", upgradeModels(true));
      const outcomes = await Promise.all(Array.from({ length: WRITERS }, (_, i) => runNode(WORKER, [`upgrader${i}`, "1", "1"], env)));
      for (const outcome of outcomes) {
        expect(stderrWithoutSlowStatements(outcome.stderr)).toBe("");
        expect((JSON.parse(outcome.stdout.trim()) as WriterReport).databases).toEqual({ ciap: "ready", framework: "ready", upgrade: "ready" });
      }
      const connection = new Database(path.join(upgrade.dataDir, "upgrade.db"), { readonly: true });
      try {
        const columns = (connection.prepare("SELECT name FROM pragma_table_info('things')").all() as { name: string }[]).map((row) => row.name);
        expect(columns).toEqual(["id", "title", "note"]);
        const objects = (connection.prepare("SELECT name FROM sqlite_master WHERE name IN ('extras', 'idx_things_note')").all() as { name: string }[]).map((row) => row.name).sort();
        expect(objects).toEqual(["extras", "idx_things_note"]);
      } finally {
        connection.close();
      }
    } finally {
      upgrade.remove();
    }
  });
});
