/**
 * A worker that dies holding a task, for the ciap lease test. Usage:
 *   node dist/test/support/ciap-stalling-worker.js <rootDir> <dataDir> <leaseSeconds>
 * It boots the framework, dequeues one task under a lease of `leaseSeconds`, prints
 * `{"id":n,"lease_token":"..."}` and then stalls (as a worker stuck in its task would) until it is killed.
 */
import "reflect-metadata";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { bootFramework } from "../../framework";

type CiapModule = typeof import("../../modules/ciap/module");

async function main(): Promise<void> {
  const [rootDir, dataDir, lease] = process.argv.slice(2);
  if (rootDir === undefined || dataDir === undefined || lease === undefined) throw new Error("usage: ciap-stalling-worker <rootDir> <dataDir> <leaseSeconds>");
  const framework = await bootFramework({ rootDir, dataDir });
  const ciap = (await import(pathToFileURL(path.join(rootDir, "modules", "ciap", "module.js")).href)) as CiapModule;
  const task = await framework.resolve(ciap.TaskQueueService).dequeue({ leaseSeconds: Number(lease) });
  if (task.isErr() || task.value === null) throw new Error(`nothing dequeued: ${task.isErr() ? task.error.message : "queue empty"}`);
  process.stdout.write(`${JSON.stringify({ id: task.value.id, lease_token: task.value.lease_token })}\n`);
  setInterval(() => undefined, 60_000);
}

main().catch((error: unknown) => {
  process.stdout.write(`${JSON.stringify({ error: error instanceof Error ? error.message : String(error) })}\n`);
  process.exitCode = 1;
});
