import { rmSync } from "node:fs";
import path from "node:path";
import { bootFramework } from "../framework/boot/boot-framework";
import { CrudService } from "../framework/crud/crud-service";
import type { Framework } from "../framework/boot/framework";
import { buildServer } from "../framework/http/build-server";
import { bareTypeormServer, holdWriteTransaction, listen, rawSqliteServer, type Contender } from "./http-contenders";
import { loadLine, medianRun, runLoad, startLoad, type LoadFigures, type LoadRequest } from "./http-load";
import { benchDir, REPO_ROOT, type BenchSuite } from "./suite";

const ROWS = 20_000;
const PAGE_SIZE = 50;
const PAGE = 100;
const DURATION_SECONDS = 3;
/** Rounds of every contender, interleaved so load from other work on the machine hits all alike. */
const ROUNDS = 3;
const CONNECTIONS = 10;
const MIXED_CONNECTIONS = 50;
const HELD_SECONDS = 2;

const API_PAGE = `/api/v1/db/databases/ciap/tables/searches?page=${PAGE}&page_size=${PAGE_SIZE}`;
/** Three page reads to one record create, on every connection. */
const MIXED: readonly LoadRequest[] = [
  { method: "GET", path: API_PAGE },
  { method: "GET", path: "/api/v1/db/databases/ciap/tables/searches/records/7" },
  { method: "GET", path: API_PAGE },
  { method: "POST", path: "/api/v1/db/databases/ciap/tables/searches/records", body: { query: "mixed load", sources: ["google"] } },
];

/** The REST API of `framework` on its own port, request logging at `info` (to a sink) or off. */
async function apiServer(framework: Framework, logging: boolean): Promise<Contender> {
  const app = logging ? buildServer(framework, { settings: { logLevel: "info" }, logDestination: { write: () => undefined } }) : buildServer(framework, { settings: { logLevel: "silent" } });
  const url = await listen(app);
  return { url, close: () => app.close() };
}

/** Page throughput of every contender, in interleaved rounds; the median run of each. */
async function pageThroughput(targets: readonly { label: string; url: string }[]): Promise<LoadFigures[]> {
  const runs: LoadFigures[][] = targets.map(() => []);
  for (let round = 0; round < ROUNDS; round += 1) {
    // Each round starts with the next contender, so none is always measured right after the same neighbour.
    for (let step = 0; step < targets.length; step += 1) {
      const index = (round + step) % targets.length;
      runs[index]?.push(await runLoad({ url: (targets[index] as { url: string }).url, connections: CONNECTIONS, durationSeconds: DURATION_SECONDS, warmupSeconds: 1 }));
    }
  }
  return runs.map(medianRun);
}

/** Load on `origin` while another process holds a write transaction on `file` for the whole measured run. */
async function whileHeld(origin: string, file: string, requests: readonly LoadRequest[]): Promise<{ figures: LoadFigures; heldMs: number }> {
  const load = startLoad({ url: origin, connections: CONNECTIONS, durationSeconds: HELD_SECONDS, warmupSeconds: 1, requests, readySignal: true });
  await load.warm;
  const held = await holdWriteTransaction(file);
  load.start();
  const figures = await load.figures;
  return { figures, heldMs: await held.release() };
}

/**
 * `npm run bench -- http`: one page of 50 rows (of 20,000) through the REST API (validation,
 * CrudService, sensitive-column stripping, per-table serialisation) against a hand-written Fastify
 * route over raw better-sqlite3 (the practical limit) and one over bare TypeORM; then a mixed
 * read/write load at 50 connections, and reads while another process holds a write transaction.
 * Load comes from autocannon in a second process; servers run in this one.
 */
export const httpSuite: BenchSuite = {
  name: "http",
  description: `table page (${PAGE_SIZE} of ${ROWS} rows) via REST API vs raw better-sqlite3 and bare TypeORM Fastify routes (-c ${CONNECTIONS} -d ${DURATION_SECONDS} x ${ROUNDS} interleaved rounds, median); mixed read/write at ${MIXED_CONNECTIONS} connections; reads during another process' ${HELD_SECONDS} s write transaction`,
  async run() {
    const dataDir = benchDir("bench-http");
    const framework = await bootFramework({ rootDir: path.join(REPO_ROOT, "dist"), dataDir });
    const servers: Contender[] = [];
    try {
      const rows = Array.from({ length: ROWS }, (_, index) => ({ query: `query ${index}`, status: index % 3 === 0 ? "completed" : "pending", sources: ["google"] }));
      const seeded = await framework.resolve(CrudService).createMany("ciap", "searches", rows);
      if (seeded.isErr()) throw new Error(seeded.error.message);
      const file = framework.databases.entry("ciap")?.file ?? "";

      const raw = await rawSqliteServer(file, PAGE_SIZE);
      const bare = await bareTypeormServer(file, PAGE_SIZE);
      const quiet = await apiServer(framework, false);
      const logged = await apiServer(framework, true);
      servers.push(raw, bare, quiet, logged);
      const targets = [
        { label: "raw better-sqlite3 + Fastify (the limit)", url: `${raw.url}/raw?page=${PAGE}` },
        { label: "bare TypeORM + Fastify", url: `${bare.url}/bare?page=${PAGE}` },
        { label: "REST API, request logging off", url: `${quiet.url}${API_PAGE}` },
        { label: "REST API, request logging on (info)", url: `${logged.url}${API_PAGE}` },
      ];
      const medians = await pageThroughput(targets);
      console.log(`  page route, median of ${ROUNDS} interleaved rounds:`);
      for (const [index, target] of targets.entries()) console.log(loadLine(target.label, medians[index] as LoadFigures));
      const [limit, typeorm, off, on] = medians.map((figures) => figures.requestsPerSecond) as [number, number, number, number];
      console.log(`  REST/raw: ${(off / limit).toFixed(2)}× (logging off), ${(on / limit).toFixed(2)}× (logging on; target ≥ 0.8×)   REST/bare TypeORM: ${(on / typeorm).toFixed(2)}× (logging on)`);

      const mixed: LoadFigures[] = [];
      for (let round = 0; round < ROUNDS; round += 1) mixed.push(await runLoad({ url: logged.url, connections: MIXED_CONNECTIONS, durationSeconds: DURATION_SECONDS, warmupSeconds: 1, requests: MIXED }));
      console.log(`  mixed load, ${MIXED_CONNECTIONS} connections, each cycling page / record / page / create (median of ${ROUNDS}):`);
      console.log(loadLine("REST API, request logging on (info)", medianRun(mixed)));

      const pageReads: readonly LoadRequest[] = [{ method: "GET", path: API_PAGE }];
      const unheldRuns: LoadFigures[] = [];
      const heldRuns: { figures: LoadFigures; heldMs: number }[] = [];
      for (let round = 0; round < ROUNDS; round += 1) {
        unheldRuns.push(await runLoad({ url: logged.url, connections: CONNECTIONS, durationSeconds: HELD_SECONDS, warmupSeconds: 1, requests: pageReads }));
        heldRuns.push(await whileHeld(logged.url, file, pageReads));
      }
      const readsAndWrites = await whileHeld(logged.url, file, MIXED);
      const byP99 = (runs: readonly LoadFigures[]) => [...runs].sort((a, b) => a.latencyP99Ms - b.latencyP99Ms)[Math.floor(runs.length / 2)] as LoadFigures;
      const reads = byP99(heldRuns.map((run) => run.figures));
      console.log(`  while another process holds a write transaction (target: read p99 < 20 ms; run with the median p99 of ${ROUNDS}, interleaved with the reference):`);
      console.log(loadLine("page reads, nothing held (reference)", byP99(unheldRuns)));
      console.log(`${loadLine("page reads", reads)}   (held ${(Math.min(...heldRuns.map((run) => run.heldMs)) / 1000).toFixed(1)} s or more)`);
      console.log(`${loadLine("mixed, creates waiting for the lock", readsAndWrites.figures)}   (held ${(readsAndWrites.heldMs / 1000).toFixed(1)} s)`);
    } finally {
      for (const server of servers) await server.close();
      await framework.shutdown();
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
};
