import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../support/temp-root";
import { bootCiap, unwrap, type CiapFixture } from "./ciap-fixture";
import { sqliteConnection } from "../../../framework/engines/sqlite/sqlite-connection";

const WORKERS = 4;
const TASKS_PER_WORKER = 500;
const TASKS = WORKERS * TASKS_PER_WORKER;
const WORKER_SCRIPT = path.join(REPO_ROOT, "dist", "test", "support", "ciap-dequeue-worker.js");

interface WorkerReport {
  readonly ids: number[];
  /** Lock retries the framework made inside this worker. */
  readonly retries: number;
  /** Operations that still met a lock after all of them (each retried by the worker, having changed nothing). */
  readonly lockedFailures: number;
  readonly lockedRounds: number;
}

/** A worker process with its JSON lines exposed in order. */
class Worker {
  private readonly lines: AsyncIterator<string>;
  readonly stderr: string[] = [];

  constructor(readonly child: ChildProcessWithoutNullStreams) {
    this.lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    child.stderr.on("data", (chunk: Buffer) => this.stderr.push(chunk.toString()));
  }

  async message(): Promise<Record<string, unknown>> {
    const next = await this.lines.next();
    if (next.done === true) throw new Error(`worker ${this.child.pid} ended without a message; stderr: ${this.stderr.join("")}`);
    return JSON.parse(next.value) as Record<string, unknown>;
  }

  exited(): Promise<number | null> {
    if (this.child.exitCode !== null) return Promise.resolve(this.child.exitCode);
    return new Promise((resolve) => this.child.once("exit", (code) => resolve(code)));
  }
}

describe("ciap task queue across processes", () => {
  let fixture: CiapFixture;
  const workers: Worker[] = [];

  beforeAll(async () => {
    fixture = await bootCiap("ciap-multiprocess");
  });
  afterAll(async () => {
    for (const worker of workers) if (worker.child.exitCode === null) worker.child.kill("SIGKILL");
    await fixture.close();
  });

  it(`hands each of ${TASKS} tasks to exactly one of ${WORKERS} worker processes`, async () => {
    const queue = fixture.framework.resolve(fixture.ciap.TaskQueueService);
    const enqueued: number[] = [];
    for (let index = 0; index < TASKS; index += 1) enqueued.push(unwrap(await queue.enqueue("scrape", { index }, { priority: (index % 10) + 1 })).id);

    // The children run the compiled build: rootDir dist/ holds dist/modules/ciap.
    for (let index = 0; index < WORKERS; index += 1) {
      workers.push(new Worker(spawn(process.execPath, [WORKER_SCRIPT, path.join(REPO_ROOT, "dist"), fixture.temp.dataDir], { stdio: "pipe" })));
    }
    for (const worker of workers) expect(await worker.message()).toEqual({ ready: true });
    for (const worker of workers) worker.child.stdin.write("go\n");

    const reports: WorkerReport[] = [];
    for (const worker of workers) {
      const report = await worker.message();
      expect(report).not.toHaveProperty("error");
      reports.push(report as unknown as WorkerReport);
      expect(await worker.exited()).toBe(0);
    }

    const handedOut = reports.flatMap((report) => report.ids);
    expect(handedOut).toHaveLength(TASKS);
    expect(new Set(handedOut)).toEqual(new Set(enqueued));
    expect(reports.filter((report) => report.ids.length > 0).length).toBeGreaterThan(1);
    const total = (key: "retries" | "lockedFailures" | "lockedRounds"): number => reports.reduce((sum, report) => sum + report[key], 0);
    expect(total("lockedRounds")).toBe(total("lockedFailures"));
    console.log(
      `multi-process dequeue: tasks per worker ${reports.map((report) => report.ids.length).join("/")}, ` +
        `framework lock retries ${total("retries")}, operations retried by workers after DATABASE_LOCKED ${total("lockedRounds")}`,
    );

    expect(unwrap(await queue.pending())).toEqual([]);
    const stats = unwrap(await fixture.framework.resolve(fixture.ciap.CiapStatsService).tableCounts());
    expect(stats.task_queue).toBe(TASKS);
    const db = unwrap(fixture.framework.databases.get("ciap"));
    const statuses = sqliteConnection(db).prepare("SELECT status, COUNT(*) AS n FROM task_queue GROUP BY status").all();
    expect(statuses).toEqual([{ status: "completed", n: TASKS }]);
    // Handed out once each: no lease ran out, so no task was reclaimed and handed out again.
    expect(sqliteConnection(db).prepare("SELECT COUNT(*) AS n FROM task_queue WHERE retry_count > 0 OR lease_token IS NOT NULL").get()).toEqual({ n: 0 });
  }, 240_000); // 2000 tasks through 4 real processes: minutes, not seconds, when the machine is busy
});
