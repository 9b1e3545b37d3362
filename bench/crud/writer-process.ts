/**
 * One writer process of `npm run bench -- writers` (run compiled: `node dist/bench/crud/writer-process.js`).
 *
 * Boots the framework from `dist/` on DATABASE_DIR, says `ready` on stdout, waits for a line on
 * stdin, then keeps CONCURRENCY CrudService.create calls in flight on ciap's `searches` for
 * DURATION_MS and prints one JSON line: writes acknowledged, errors by code, lock retries.
 */
import "reflect-metadata";
import path from "node:path";
import { once } from "node:events";
import { bootFramework, CrudService } from "../../framework";

/** The JSON line a writer prints when done. */
export interface WriterFigures {
  readonly acknowledged: number;
  readonly errors: Readonly<Record<string, number>>;
  readonly retries: number;
  readonly seconds: number;
}

async function main(): Promise<void> {
  const [name = "writer", durationArg = "1000", concurrencyArg = "4"] = process.argv.slice(2);
  const framework = await bootFramework({ rootDir: path.resolve(__dirname, "..", "..") });
  const crud = framework.resolve(CrudService);
  process.stdout.write("ready\n");
  await once(process.stdin, "data");
  // Nothing more comes on stdin; an open one would keep the process alive after its report.
  process.stdin.destroy();
  const errors: Record<string, number> = {};
  let acknowledged = 0;
  let next = 0;
  const started = performance.now();
  const until = started + Number(durationArg);
  const loop = async () => {
    while (performance.now() < until) {
      const created = await crud.create("ciap", "searches", { query: `${name} ${next++}` });
      if (created.isOk()) acknowledged += 1;
      else errors[created.error.code] = (errors[created.error.code] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: Number(concurrencyArg) }, loop));
  const seconds = (performance.now() - started) / 1000;
  const retries = framework.databases.get("ciap").map((db) => db.stats.retries).unwrapOr(0);
  await framework.shutdown();
  const figures: WriterFigures = { acknowledged, errors, retries, seconds };
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
