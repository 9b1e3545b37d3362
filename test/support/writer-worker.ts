/**
 * A writer process for the multi-process tests (run compiled: `node dist/test/support/writer-worker.js`).
 *
 * Boots the framework from `dist/` (so it discovers the compiled ciap module) on the data folder
 * given by DATABASE_DIR, then writes concurrently: transactions of two task_queue inserts each and
 * CrudService creates of searches, all tagged with the writer's name. With a barrier folder it
 * writes `<folder>/ready-<writer>` once booted and waits for `<folder>/go`, so that every writer
 * starts writing at the same moment. Prints one JSON line:
 * what it was told succeeded, every error it saw, and the database's lock-retry counters.
 */
import "reflect-metadata";
import { existsSync, writeFileSync } from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { bootFramework, CrudService } from "../../framework";

/** The JSON line a writer prints when done. */
export interface WriterReport {
  readonly writer: string;
  readonly acknowledgedTransactions: number;
  readonly acknowledgedCreates: number;
  readonly errors: readonly string[];
  readonly retries: number;
  readonly lockedFailures: number;
  /** The state of every database after boot, by name. */
  readonly databases: Readonly<Record<string, string>>;
}

/** Signals readiness and waits (polling; the parent creates the file) until the parent says go. */
async function waitAtBarrier(folder: string, writer: string): Promise<void> {
  writeFileSync(path.join(folder, `ready-${writer}`), "");
  while (!existsSync(path.join(folder, "go"))) await sleep(5);
}

async function main(): Promise<void> {
  const [writer = "writer", transactionsArg = "300", createsArg = "100", barrier] = process.argv.slice(2);
  const transactions = Number(transactionsArg);
  const creates = Number(createsArg);
  const framework = await bootFramework();
  const databases = Object.fromEntries(framework.databases.list().map((entry) => [entry.name, entry.problems.length > 0 ? `${entry.state}: ${entry.problems.join(" ")}` : entry.state]));
  if (barrier !== undefined) await waitAtBarrier(barrier, writer);
  const errors: string[] = [];
  let acknowledgedTransactions = 0;
  let acknowledgedCreates = 0;
  const database = framework.databases.get("ciap");
  if (database.isErr()) throw new Error(database.error.message);
  const db = database.value;
  const crud = framework.resolve(CrudService);
  try {
    const work: Promise<void>[] = [];
    for (let i = 0; i < transactions; i += 1) {
      work.push(
        db
          .transaction(async (manager) => {
            await manager.insert("TaskQueue", { task_type: writer, payload: { i, part: 1 } });
            await manager.query("INSERT INTO task_queue (task_type, payload) VALUES (?, ?)", [writer, JSON.stringify({ i, part: 2 })]);
          })
          .match(
            () => void (acknowledgedTransactions += 1),
            (error) => void errors.push(`transaction ${i}: ${error.code} ${error.message}`),
          ),
      );
      if (i < creates) {
        work.push(
          crud.create("ciap", "searches", { query: `${writer}-${i}` }).match(
            () => void (acknowledgedCreates += 1),
            (error) => void errors.push(`create ${i}: ${error.code} ${error.message}`),
          ),
        );
      }
    }
    await Promise.all(work);
  } finally {
    const report: WriterReport = { writer, acknowledgedTransactions, acknowledgedCreates, errors, retries: db.stats.retries, lockedFailures: db.stats.lockedFailures, databases };
    await framework.shutdown();
    process.stdout.write(`${JSON.stringify(report)}\n`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
