import { spawn } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TaskQueueService } from "../../../modules/ciap/module";
import { backoffDelayMs } from "../../../modules/ciap/tasks/task-settings";
import { REPO_ROOT } from "../../support/temp-root";
import { bootCiap, ManualClock, unwrap, unwrapErr, type CiapFixture } from "./ciap-fixture";

const BASE_MS = 1_000;

describe("ciap task queue heals itself (leases, delays, backoff)", () => {
  const clock = new ManualClock();
  const saved = { ...process.env };
  let fixture: CiapFixture;
  let queue: TaskQueueService;

  beforeAll(async () => {
    process.env.CIAP_TASK_BACKOFF_BASE_MS = String(BASE_MS);
    fixture = await bootCiap("ciap-healing", clock);
    queue = fixture.framework.resolve(fixture.ciap.TaskQueueService);
  });
  afterAll(async () => {
    process.env = saved;
    await fixture.close();
  });

  async function clear(): Promise<void> {
    const database = unwrap(fixture.framework.databases.get("ciap"));
    unwrap(await database.transaction((manager) => manager.query("DELETE FROM task_queue")));
  }

  it("does not hand out a task before its run_after", async () => {
    await clear();
    const later = unwrap(await queue.enqueue("report", null, { priority: 1, runAfter: new Date(clock.now().getTime() + 60_000) }));
    const now = unwrap(await queue.enqueue("report", null, { priority: 9 }));
    // The urgent task waits for its moment; the less urgent one that is due goes first.
    expect(unwrap(await queue.dequeue())?.id).toBe(now.id);
    expect(unwrap(await queue.dequeue())).toBeNull();
    clock.advance(59);
    expect(unwrap(await queue.dequeue())).toBeNull();
    clock.advance(1);
    expect(unwrap(await queue.dequeue())?.id).toBe(later.id);
    expect(unwrapErr(await queue.enqueue("report", null, { runAfter: new Date("nope") }))).toMatchObject({ code: "VALIDATION_FAILED", details: { field: "runAfter" } });
    expect(unwrapErr(await queue.dequeue({ leaseSeconds: 0 }))).toMatchObject({ code: "VALIDATION_FAILED", details: { field: "leaseSeconds" } });
  });

  it("retries a failing task with growing, jittered delays and ends it failed after max_retries", async () => {
    await clear();
    const task = unwrap(await queue.enqueue("flaky", { n: 1 }, { maxRetries: 4 }));
    const delays: number[] = [];
    for (let retry = 0; retry < 4; retry += 1) {
      const taken = unwrap(await queue.dequeue());
      expect(taken).toMatchObject({ id: task.id, status: "processing", retry_count: retry });
      const failedAt = clock.now().getTime();
      const after = unwrap(await queue.complete(task.id, "failed", `attempt ${retry} failed`, taken?.lease_token ?? undefined));
      expect(after).toMatchObject({ status: "pending", retry_count: retry + 1, error_message: `attempt ${retry} failed`, lease_token: null, started_at: null });
      const delay = (after.run_after as Date).getTime() - failedAt;
      // base·2^retry, lengthened by at most a quarter.
      expect(delay).toBeGreaterThanOrEqual(BASE_MS * 2 ** retry);
      expect(delay).toBeLessThanOrEqual(BASE_MS * 2 ** retry * 1.25);
      delays.push(delay);
      // Not before its delay has passed.
      clock.advance(delay / 1000 - 0.01);
      expect(unwrap(await queue.dequeue())).toBeNull();
      clock.advance(0.01);
    }
    for (let index = 1; index < delays.length; index += 1) expect(delays[index]).toBeGreaterThan(delays[index - 1] as number);
    const last = unwrap(await queue.dequeue());
    expect(last).toMatchObject({ id: task.id, retry_count: 4 });
    expect(unwrap(await queue.complete(task.id, "failed", "gave up", last?.lease_token ?? undefined))).toMatchObject({ status: "failed", retry_count: 4, error_message: "gave up" });
    expect(unwrap(await queue.dequeue())).toBeNull();
    console.log(`ciap backoff: delays ${delays.join(", ")} ms for retries 1..4 (base ${BASE_MS} ms)`);
  });

  it("the jitter spreads tasks that failed together, within a quarter of the nominal delay", () => {
    const settings = { leaseSeconds: 300, backoffBaseMs: 1_000, backoffMaxMs: 10_000 };
    expect(backoffDelayMs(0, settings, () => 0)).toBe(1_000);
    expect(backoffDelayMs(0, settings, () => 0.999)).toBe(1_250);
    expect(backoffDelayMs(3, settings, () => 0.5)).toBe(9_000);
    expect(backoffDelayMs(10, settings, () => 0)).toBe(10_000);
    expect(new Set(Array.from({ length: 50 }, () => backoffDelayMs(2, settings))).size).toBeGreaterThan(10);
  });

  it("reclaims a task whose lease expired as a retry, and refuses the late worker's result", async () => {
    await clear();
    const task = unwrap(await queue.enqueue("slow", null, { maxRetries: 1 }));
    const first = unwrap(await queue.dequeue({ leaseSeconds: 30 }));
    expect(first?.lease_until?.getTime()).toBe(clock.now().getTime() + 30_000);
    clock.advance(20);
    // The holder may extend its lease while it works.
    unwrap(await queue.renewLease(task.id, first?.lease_token as string, 30));
    clock.advance(29);
    expect(unwrap(await queue.dequeue())).toBeNull();
    clock.advance(2);
    const second = unwrap(await queue.dequeue({ leaseSeconds: 30 }));
    expect(second).toMatchObject({ id: task.id, status: "processing", retry_count: 1 });
    expect(second?.lease_token).not.toBe(first?.lease_token);
    expect(second?.error_message).toMatch(/lease expired/);
    // The first worker wakes up: its result is refused, and nothing changes.
    expect(unwrapErr(await queue.complete(task.id, "completed", null, first?.lease_token as string))).toMatchObject({ code: "VALIDATION_FAILED", details: { field: "leaseToken" } });
    expect(unwrapErr(await queue.renewLease(task.id, first?.lease_token as string))).toMatchObject({ details: { field: "leaseToken" } });
    expect(unwrap(await queue.get(task.id))).toMatchObject({ status: "processing", lease_token: second?.lease_token });
    // Its second lease runs out too, with no retry left: the task ends failed.
    clock.advance(31);
    expect(unwrap(await queue.dequeue())).toBeNull();
    expect(unwrap(await queue.get(task.id))).toMatchObject({ status: "failed", retry_count: 1, lease_token: null });
    expect(unwrap(await queue.get(task.id)).error_message).toMatch(/max_retries spent/);
  });
});

describe("ciap task queue: a worker killed mid-task (kill -9)", () => {
  let fixture: CiapFixture;
  beforeAll(async () => {
    fixture = await bootCiap("ciap-kill");
  });
  afterAll(() => fixture.close());

  it("hands the task out again after its lease and it is completed exactly once", async () => {
    const queue = fixture.framework.resolve(fixture.ciap.TaskQueueService);
    const task = unwrap(await queue.enqueue("crawl", { url: "https://example.com" }));
    const script = path.join(REPO_ROOT, "dist", "test", "support", "ciap-stalling-worker.js");
    const worker = spawn(process.execPath, [script, path.join(REPO_ROOT, "dist"), fixture.temp.dataDir, "2"], { stdio: ["ignore", "pipe", "pipe"] });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => worker.on("exit", (_code, signal) => resolve(signal)));
    const line = await createInterface({ input: worker.stdout })[Symbol.asyncIterator]().next();
    const heldAt = Date.now();
    const held = JSON.parse(String(line.value)) as { id: number; lease_token: string };
    expect(held.id).toBe(task.id);
    expect(unwrap(await queue.get(task.id))).toMatchObject({ status: "processing", lease_token: held.lease_token });

    worker.kill("SIGKILL");
    expect(await exited).toBe("SIGKILL");
    const killedAt = Date.now();
    // Still leased: nobody else gets it yet.
    expect(unwrap(await queue.dequeue())).toBeNull();
    let again = unwrap(await queue.dequeue());
    while (again === null && Date.now() - killedAt < 10_000) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      again = unwrap(await queue.dequeue());
    }
    expect(again).toMatchObject({ id: task.id, status: "processing", retry_count: 1 });
    // Not before its 2 s lease ran out (counted from when the worker reported it, a little after it took it).
    expect(Date.now() - heldAt).toBeGreaterThanOrEqual(1_900);
    unwrap(await queue.complete(task.id, "completed", null, again?.lease_token ?? undefined));
    // The dead worker's lease can never complete it a second time.
    expect(unwrapErr(await queue.complete(task.id, "completed", null, held.lease_token))).toMatchObject({ code: "VALIDATION_FAILED" });
    expect(unwrap(await queue.get(task.id))).toMatchObject({ status: "completed", retry_count: 1, lease_token: null });
    expect(unwrap(await queue.dequeue())).toBeNull();
  });
});
