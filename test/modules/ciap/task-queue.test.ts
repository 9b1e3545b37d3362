import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TaskQueueService } from "../../../modules/ciap/module";
import { bootCiap, unwrap, unwrapErr, type CiapFixture } from "./ciap-fixture";
import { dialectOf } from "../../../framework/engines/sql-dialect";

/** Dequeues until the queue is empty, returning the ids this worker was handed. */
async function drain(queue: TaskQueueService): Promise<number[]> {
  const taken: number[] = [];
  for (;;) {
    const task = unwrap(await queue.dequeue());
    if (task === null) return taken;
    expect(task.status).toBe("processing");
    taken.push(task.id);
    // Yield so that the other workers' dequeues interleave with this one's.
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe("ciap task queue", () => {
  let fixture: CiapFixture;
  let queue: TaskQueueService;

  beforeAll(async () => {
    fixture = await bootCiap("ciap-tasks");
    queue = fixture.framework.resolve(fixture.ciap.TaskQueueService);
  });
  afterAll(() => fixture.close());

  it("reads one candidate row per dequeue, however many tasks wait (the query is limited)", async () => {
    for (let i = 0; i < 5; i += 1) unwrap(await queue.enqueue("scrape", { query: `limit-${i}` }, { priority: 9 }));
    const db = fixture.framework.databases.get("ciap")._unsafeUnwrap();
    const statements: string[] = [];
    const stop = db.activity.observe({ statement: (event) => statements.push(event.sql) });
    try {
      expect(unwrap(await queue.dequeue())).not.toBeNull();
    } finally {
      stop();
    }
    const candidates = statements.filter((sql) => sql.startsWith("SELECT") && sql.includes('FROM "task_queue"'));
    expect(candidates.length).toBeGreaterThan(0);
    for (const sql of candidates) expect(sql).toMatch(/\bLIMIT\b/);
    while (unwrap(await queue.dequeue()) !== null);
  });

  it("hands out priority 1 before priority 5 and completes it (seed test_task_queue)", async () => {
    const low = unwrap(await queue.enqueue("scrape", { query: "test1" }, { priority: 5 }));
    const high = unwrap(await queue.enqueue("scrape", { query: "test2" }, { priority: 1 }));
    expect(low).toMatchObject({ status: "pending", priority: 5, retry_count: 0, max_retries: 3, payload: { query: "test1" } });

    const next = unwrap(await queue.dequeue());
    expect(next).toMatchObject({ id: high.id, status: "processing", payload: { query: "test2" } });
    expect(next?.started_at).toBeInstanceOf(Date);

    const completed = unwrap(await queue.complete(high.id));
    expect(completed).toMatchObject({ status: "completed", error_message: null });
    expect(completed.completed_at).toBeInstanceOf(Date);
    expect(unwrap(await queue.get(high.id)).status).toBe("completed");

    expect(unwrap(await queue.dequeue())?.id).toBe(low.id);
    unwrap(await queue.complete(low.id));
    expect(unwrap(await queue.dequeue())).toBeNull();
  });

  it("is first in, first out within a priority, and orders pending() the same way", async () => {
    const a = unwrap(await queue.enqueue("export", { n: "a" }, { priority: 3 }));
    const b = unwrap(await queue.enqueue("export", { n: "b" }, { priority: 3 }));
    const urgent = unwrap(await queue.enqueue("export", { n: "urgent" }, { priority: 1 }));
    const c = unwrap(await queue.enqueue("export", { n: "c" }, { priority: 3 }));
    const last = unwrap(await queue.enqueue("export", { n: "last" }, { priority: 10 }));
    const expected = [urgent.id, a.id, b.id, c.id, last.id];

    expect(unwrap(await queue.pending()).map((task) => task.id)).toEqual(expected);
    const handedOut: number[] = [];
    for (let index = 0; index < expected.length; index += 1) handedOut.push(unwrap(await queue.dequeue())?.id as number);
    expect(handedOut).toEqual(expected);
    expect(unwrap(await queue.pending())).toEqual([]);
    for (const id of handedOut) unwrap(await queue.complete(id));
  });

  it("validates priority 1..10 and the task type, writing nothing on bad input", async () => {
    for (const priority of [0, 11, 2.5, Number.NaN, "1" as unknown as number]) {
      expect(unwrapErr(await queue.enqueue("scrape", {}, { priority }))).toMatchObject({ code: "VALIDATION_FAILED", details: { field: "priority" } });
    }
    expect(unwrapErr(await queue.enqueue("", {}))).toMatchObject({ code: "VALIDATION_FAILED", details: { field: "task_type" } });
    expect(unwrapErr(await queue.enqueue("scrape", [1, 2] as unknown as Record<string, unknown>))).toMatchObject({ details: { field: "payload" } });
    expect(unwrapErr(await queue.enqueue("scrape", {}, { maxRetries: -1 }))).toMatchObject({ details: { field: "max_retries" } });
    expect(unwrap(await queue.pending())).toEqual([]);
    expect(unwrap(await queue.enqueue("scrape", null, { priority: 10 })).priority).toBe(10);
    expect(unwrap(await queue.enqueue("scrape", null, { priority: 1 })).priority).toBe(1);
    expect(unwrap(await queue.enqueue("scrape", null, null as unknown as undefined))).toMatchObject({ priority: 5, max_retries: 3 });
    for (;;) {
      const task = unwrap(await queue.dequeue());
      if (task === null) break;
      unwrap(await queue.complete(task.id));
    }
  });

  it("gives 10 concurrent dequeuers every task exactly once", async () => {
    const enqueued = await Promise.all(Array.from({ length: 120 }, (_, index) => queue.enqueue("analyze", { index }, { priority: (index % 10) + 1 })));
    const ids = enqueued.map((result) => unwrap(result).id);

    const perWorker = await Promise.all(Array.from({ length: 10 }, () => drain(queue)));
    const handedOut = perWorker.flat();
    expect(handedOut).toHaveLength(ids.length);
    expect(new Set(handedOut)).toEqual(new Set(ids));
    expect(perWorker.filter((taken) => taken.length > 0).length).toBeGreaterThan(1);
    for (const id of handedOut) unwrap(await queue.complete(id));
  });

  it("completes only processing tasks and records a failure's error", async () => {
    const task = unwrap(await queue.enqueue("scrape", { url: "x" }, { maxRetries: 0 }));
    expect(unwrapErr(await queue.complete(task.id))).toMatchObject({ code: "VALIDATION_FAILED", details: { field: "taskId" } });
    expect(unwrapErr(await queue.complete(999_999))).toMatchObject({ code: "RECORD_NOT_FOUND", details: { table_name: "task_queue" } });
    expect(unwrapErr(await queue.complete(task.id, "cancelled" as "failed"))).toMatchObject({ code: "VALIDATION_FAILED", details: { field: "status" } });
    expect(unwrap(await queue.get(task.id)).status).toBe("pending");

    expect(unwrap(await queue.dequeue())?.id).toBe(task.id);
    // No retry allowed: the failure is final at once.
    expect(unwrap(await queue.complete(task.id, "failed", "timeout"))).toMatchObject({ status: "failed", error_message: "timeout", retry_count: 0, lease_token: null, lease_until: null });
    expect(unwrapErr(await queue.complete(task.id))).toMatchObject({ code: "VALIDATION_FAILED" });
  });

  it("retryFailed puts back failed tasks that still have retries, and leaves spent ones failed", async () => {
    // Clear tasks left by other tests so the report below concerns these tasks alone.
    const { framework } = fixture;
    const database = unwrap(framework.databases.get("ciap"));
    unwrap(await database.transaction((manager) => manager.query("DELETE FROM task_queue")));

    // A task failed with a retry left (as an older version of the queue left them, or a hand-edited row).
    const task = unwrap(await queue.enqueue("scrape", { flaky: true }, { maxRetries: 2 }));
    unwrap(await database.transaction((manager) => manager.query(dialectOf(manager.connection).positional("UPDATE task_queue SET status = 'failed', retry_count = 1, error_message = 'flaky' WHERE id = ?"), [task.id])));
    const spent = unwrap(await queue.enqueue("scrape", { flaky: true }, { maxRetries: 0 }));
    expect(unwrap(await queue.dequeue())?.id).toBe(spent.id);
    unwrap(await queue.complete(spent.id, "failed", "flaky"));

    expect(unwrap(await queue.retryFailed())).toEqual({ requeued: [task.id], exhausted: 1 });
    expect(unwrap(await queue.get(task.id))).toMatchObject({ status: "pending", retry_count: 2, started_at: null, completed_at: null, run_after: null });
    expect(unwrap(await queue.get(spent.id))).toMatchObject({ status: "failed", retry_count: 0, error_message: "flaky" });
    expect(unwrap(await queue.retryFailed(spent.id))).toEqual({ requeued: [], exhausted: 1 });

    expect(unwrapErr(await queue.retryFailed(999_999)).code).toBe("RECORD_NOT_FOUND");
    expect(unwrapErr(await queue.retryFailed(task.id))).toMatchObject({ code: "VALIDATION_FAILED", details: { field: "taskId" } });
  });
});
