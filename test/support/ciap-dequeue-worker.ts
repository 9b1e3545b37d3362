/**
 * A worker process for the ciap multi-process dequeue test. Usage:
 *   node dist/test/support/ciap-dequeue-worker.js <rootDir> <dataDir>
 * It boots the framework on `rootDir` (which must hold the compiled `modules/ciap`), prints
 * `{"ready":true}`, waits for a `go` line on stdin so every worker starts together, then dequeues
 * and completes tasks until the queue is empty and prints one JSON line:
 * `{"ids":[...],"retries":n,"lockedFailures":n}` (or `{"error":...}` with exit code 1).
 */
import "reflect-metadata";
import path from "node:path";
import { createInterface } from "node:readline";
import { pathToFileURL } from "node:url";
import { bootFramework } from "../../framework";
import type { TaskQueueService } from "../../modules/ciap/tasks/task-queue-service";

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

async function drain(queue: TaskQueueService): Promise<number[]> {
  const ids: number[] = [];
  for (;;) {
    const next = await queue.dequeue();
    if (next.isErr()) throw new Error(`dequeue failed: ${JSON.stringify(next.error)}`);
    if (next.value === null) return ids;
    ids.push(next.value.id);
    const done = await queue.complete(next.value.id);
    if (done.isErr()) throw new Error(`complete failed: ${JSON.stringify(done.error)}`);
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
    send({ ids, retries: database.value.stats.retries, lockedFailures: database.value.stats.lockedFailures });
  } finally {
    await framework.shutdown();
  }
}

main().catch((error: unknown) => {
  send({ error: error instanceof Error ? error.message : String(error) });
  process.exitCode = 1;
});
