import { execFile } from "node:child_process";
import { rmSync } from "node:fs";
import path from "node:path";
import Fastify, { type FastifyInstance } from "fastify";
import { DataSource } from "typeorm";
import { bootFramework } from "../framework/boot/boot-framework";
import { CrudService } from "../framework/crud/crud-service";
import { buildServer } from "../framework/http/build-server";
import { Search, SearchResult } from "../modules/ciap/db-models";
import { benchDir, REPO_ROOT, type BenchSuite } from "./suite";

const AUTOCANNON = path.join(REPO_ROOT, "node_modules", "autocannon", "autocannon.js");
const ROWS = 20_000;
const PAGE_SIZE = 50;
const DURATION_SECONDS = 3;
/** Rounds of (baseline, API, API with logs), interleaved so load from other work on the machine hits all three alike. */
const ROUNDS = 3;
const CONNECTIONS = 10;

/** What one autocannon run measured. */
interface LoadFigures {
  readonly requestsPerSecond: number;
  readonly latencyP99Ms: number;
  readonly non2xx: number;
  readonly errors: number;
}

/** Runs autocannon in a separate process, so the load generator does not share the server's event loop. */
function loadFromSecondProcess(url: string): Promise<LoadFigures> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [AUTOCANNON, "-j", "-n", "-c", String(CONNECTIONS), "-d", String(DURATION_SECONDS), "--warmup", "[", "-c", "2", "-d", "1", "]", url],
      { maxBuffer: 16 * 1024 * 1024 },
      (error, stdout) => {
        if (error !== null) return reject(error);
        // With --warmup autocannon prints the warm-up's JSON first; the measured run is the last line.
        const last = stdout.trim().split("\n").pop() ?? "";
        const result = JSON.parse(last) as { requests: { average: number }; latency: { p99: number }; non2xx: number; errors: number };
        resolve({ requestsPerSecond: result.requests.average, latencyP99Ms: result.latency.p99, non2xx: result.non2xx, errors: result.errors });
      },
    );
  });
}

async function listen(app: FastifyInstance): Promise<string> {
  await app.listen({ host: "127.0.0.1", port: 0 });
  const address = app.server.address();
  if (typeof address !== "object" || address === null) throw new Error("no port");
  return `http://127.0.0.1:${address.port}`;
}

/** The baseline: one Fastify route that pages the same table with a bare TypeORM DataSource. */
async function bareServer(file: string): Promise<{ url: string; close: () => Promise<void> }> {
  const dataSource = await new DataSource({ type: "better-sqlite3", database: file, entities: [Search, SearchResult] }).initialize();
  const repository = dataSource.getRepository(Search);
  const app = Fastify({ logger: false });
  app.get<{ Querystring: { page?: string } }>("/bare", async (request) => {
    const page = Number(request.query.page ?? "1");
    const [records, total] = await repository.findAndCount({ order: { id: "ASC" }, skip: (page - 1) * PAGE_SIZE, take: PAGE_SIZE });
    return { page, page_size: PAGE_SIZE, total_records: total, records };
  });
  const url = await listen(app);
  return {
    url,
    close: async () => {
      await app.close();
      await dataSource.destroy();
    },
  };
}

/** The run with the median request rate. */
function median(runs: readonly LoadFigures[]): LoadFigures {
  const sorted = [...runs].sort((a, b) => a.requestsPerSecond - b.requestsPerSecond);
  return sorted[Math.floor(sorted.length / 2)] as LoadFigures;
}

function line(label: string, figures: LoadFigures): string {
  const problems = figures.non2xx + figures.errors > 0 ? `  (${figures.non2xx} non-2xx, ${figures.errors} errors)` : "";
  return `  ${label.padEnd(44)} ${figures.requestsPerSecond.toFixed(0).padStart(7)} req/s   p99 ${String(figures.latencyP99Ms).padStart(4)} ms${problems}`;
}

/**
 * `npm run bench -- http`: requests per second for one page of 50 rows (of 20,000) through the
 * REST API (validation, CrudService, sensitive-column stripping, error shape) against a minimal
 * Fastify route calling bare TypeORM on the same SQLite file. Load comes from autocannon in a
 * second process; the servers run in this one, measured in interleaved rounds (median reported).
 */
export const httpSuite: BenchSuite = {
  name: "http",
  description: `table page (${PAGE_SIZE} of ${ROWS} rows) through the REST API vs a bare TypeORM Fastify route; autocannon -c ${CONNECTIONS} -d ${DURATION_SECONDS} x ${ROUNDS} rounds from a second process`,
  async run() {
    const dataDir = benchDir("bench-http");
    const framework = await bootFramework({ rootDir: path.join(REPO_ROOT, "dist"), dataDir });
    try {
      const rows = Array.from({ length: ROWS }, (_, index) => ({ query: `query ${index}`, status: index % 3 === 0 ? "completed" : "pending", sources: ["google"] }));
      const seeded = await framework.resolve(CrudService).createMany("ciap", "searches", rows);
      if (seeded.isErr()) throw new Error(seeded.error.message);
      const file = framework.databases.entry("ciap")?.file ?? "";
      const page = 100;

      const bare = await bareServer(file);
      const quiet = buildServer(framework, { settings: { logLevel: "silent" } });
      const logged = buildServer(framework, { settings: { logLevel: "info" }, logDestination: { write: () => undefined } });
      const apiPath = `/api/v1/db/databases/ciap/tables/searches?page=${page}&page_size=${PAGE_SIZE}`;
      const targets = [`${bare.url}/bare?page=${page}`, `${await listen(quiet)}${apiPath}`, `${await listen(logged)}${apiPath}`];
      const rounds: LoadFigures[][] = [[], [], []];
      try {
        for (let round = 0; round < ROUNDS; round += 1) {
          for (const [index, url] of targets.entries()) rounds[index]?.push(await loadFromSecondProcess(url));
        }
      } finally {
        await bare.close();
        await quiet.close();
        await logged.close();
      }
      const [baseline, quietFigures, loggedFigures] = rounds.map(median) as [LoadFigures, LoadFigures, LoadFigures];

      console.log(`  median of ${ROUNDS} interleaved rounds:`);
      console.log(line("bare TypeORM + Fastify (baseline)", baseline));
      console.log(line("REST API, request logging off", quietFigures));
      console.log(line("REST API, request logging on (info)", loggedFigures));
      console.log(`  ratio API/baseline: ${(quietFigures.requestsPerSecond / baseline.requestsPerSecond).toFixed(2)} (logging off), ${(loggedFigures.requestsPerSecond / baseline.requestsPerSecond).toFixed(2)} (logging on)`);
    } finally {
      await framework.shutdown();
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
};
