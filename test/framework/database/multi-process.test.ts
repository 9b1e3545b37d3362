import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { runNode } from "../../support/run-process";
import { createTempRoot, REPO_ROOT } from "../../support/temp-root";
import type { WriterReport } from "../../support/writer-worker";

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
      expect(outcome.stderr, `stderr of ${writers[i]}`).toBe("");
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
});
