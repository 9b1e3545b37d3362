/**
 * A worker process for the ciap multi-process dequeue test. Usage:
 *   node dist/test/support/ciap-dequeue-worker.js <rootDir> <dataDir>
 * It boots the framework on `rootDir` (which must hold the compiled `modules/ciap`), prints
 * `{"ready":true}`, waits for a `go` line on stdin so every worker starts together, then dequeues
 * and completes tasks until the queue is empty and prints one JSON line:
 * `{"ids":[...],"retries":n,"lockedFailures":n}` (or `{"error":...}` with exit code 1).
 *
 * Like any queue consumer, it treats DATABASE_LOCKED (the framework's retries ran out while other
 * processes held the write lock) as "try again shortly": the failed transaction rolled back, so
 * nothing was claimed or completed. `lockedFailures` counts those rounds.
 */
import "reflect-metadata";
import path from "node:path";
import { createInterface } from "node:readline";
import { pathToFileURL } from "node:url";
import { bootFramework } from "../../framework";
import { setTimeout as sleep } from "node:timers/promises";
import type { ResultAsync } from "neverthrow";
import type { DbError } from "../../framework";
import type { TaskQueueService } from "../../modules/ciap/tasks/task-queue-service";

/** Rounds of DATABASE_LOCKED a single operation may meet before the worker gives up. */
const MAX_LOCKED_ROUNDS = 100;

type CiapModule = typeof import("../../modules/ciap/module");

function send(message: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

async function waitForGo(): Promise<void> {
  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) {
    if (line.trim() === "go") break;
  }
  lines.close();
}

const lockedRounds = { count: 0 };

/** Runs `operation` again after DATABASE_LOCKED (it changed nothing); any other error is fatal. */
async function untilUnlocked<T>(name: string, operation: () => ResultAsync<T, DbError>): Promise<T> {
  for (let round = 0; ; round += 1) {
    const outcome = await operation();
    if (outcome.isOk()) return outcome.value;
    if (outcome.error.code !== "DATABASE_LOCKED" || round >= MAX_LOCKED_ROUNDS) throw new Error(`${name} failed: ${JSON.stringify(outcome.error)}`);
    lockedRounds.count += 1;
    await sleep(10 + Math.random() * 40);
  }
}

async function drain(queue: TaskQueueService): Promise<number[]> {
  const ids: number[] = [];
  for (;;) {
    const task = await untilUnlocked("dequeue", () => queue.dequeue());
    if (task === null) return ids;
    ids.push(task.id);
    // Under its lease: were the lease ever taken over, this worker's result would be refused.
    await untilUnlocked("complete", () => queue.complete(task.id, "completed", null, task.lease_token ?? undefined));
  }
}

async function main(): Promise<void> {
  const [rootDir, dataDir] = process.argv.slice(2);
  if (rootDir === undefined || dataDir === undefined) throw new Error("usage: ciap-dequeue-worker <rootDir> <dataDir>");
  const framework = await bootFramework({ rootDir, dataDir });
  try {
    // The same file URL discovery imported, so these are the classes registered in the container.
    const ciap = (await import(pathToFileURL(path.join(rootDir, "modules", "ciap", "module.js")).href)) as CiapModule;
    const queue = framework.resolve(ciap.TaskQueueService);
    const database = framework.databases.get("ciap");
    if (database.isErr()) throw new Error(`ciap database unavailable: ${database.error.message}`);
    send({ ready: true });
    await waitForGo();
    const ids = await drain(queue);
    send({ ids, retries: database.value.stats.retries, lockedFailures: database.value.stats.lockedFailures, lockedRounds: lockedRounds.count });
  } finally {
    await framework.shutdown();
  }
}

main().catch((error: unknown) => {
  send({ error: error instanceof Error ? error.message : String(error) });
  process.exitCode = 1;
});
