/**
 * A stand-in for `npm start` in tests: boots the framework from the compiled build on the given
 * root and data folder, keeps the databases open and keeps inserting ciap searches until it reads
 * `stop` on stdin. Prints `ready` once booted, then one JSON line with every id it was acknowledged.
 *
 * Usage: node dist/test/support/hold-and-write.js <rootDir> <dataDir>
 */
import "reflect-metadata";
import { createInterface } from "node:readline";
import { bootFramework, CrudService } from "../../framework";

async function main(): Promise<void> {
  const [rootDir, dataDir] = process.argv.slice(2);
  if (rootDir === undefined || dataDir === undefined) throw new Error("usage: hold-and-write <rootDir> <dataDir>");
  const framework = await bootFramework({ rootDir, dataDir });
  const crud = framework.resolve(CrudService);
  const acked: number[] = [];
  const failures: string[] = [];
  let stopping = false;
  createInterface({ input: process.stdin }).on("line", (line) => {
    if (line.trim() === "stop") stopping = true;
  });
  process.stdout.write("ready\n");
  for (let index = 0; !stopping; index += 1) {
    const created = await crud.create("ciap", "searches", { query: `held write ${index}`, sources: ["google"] });
    if (created.isOk()) acked.push(Number(created.value.id));
    else failures.push(`${created.error.code}: ${created.error.message}`);
    if (index % 20 === 0) process.stdout.write(`progress ${acked.length}\n`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  await framework.shutdown();
  process.stdout.write(`${JSON.stringify({ acked, failures })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
