import { execFile, spawn, type ChildProcess } from "node:child_process";
import { rmSync } from "node:fs";
import path from "node:path";
import { renderTable } from "../framework/cli/output";
import { createPostgresDatabase, type PostgresDatabase } from "../test/support/postgres-database";
import { startPostgresServer, type PostgresServerHandle } from "../test/support/postgres-server";
import { benchDir, formatRate, REPO_ROOT, type BenchSuite } from "./suite";

const AUTOCANNON = path.join(REPO_ROOT, "node_modules", "autocannon", "autocannon.js");
const MAIN = path.join(REPO_ROOT, "dist", "framework", "main.js");
const SEARCHES = "/api/v1/db/databases/ciap/tables/searches/records";
/** Open HTTP connections in all, split evenly over the servers of a configuration. */
const CONNECTIONS = 64;
/** Rounds of the three configurations, interleaved so load from other work on the machine hits them alike. */
const ROUNDS = 2;

function durationSeconds(): number {
  const value = Number(process.env.BENCH_DURATION_MS ?? "5000") / 1000;
  return Number.isFinite(value) && value >= 1 ? Math.round(value) : 5;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/** What one configuration's load measured, summed over its servers. */
interface WriteFigures {
  readonly writesPerSecond: number;
  readonly failed: number;
}

/** `npm start` (the built `main.js`) on a free port; resolves with its URL once it listens. */
function startServer(env: Record<string, string>): Promise<{ url: string; child: ChildProcess }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN], { cwd: REPO_ROOT, env: { ...process.env, PORT: "0", LOG_LEVEL: "warn", REDIS_URL: "", ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 120_000);
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/[^\s)]+)/.exec(output);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolve({ url: match[1], child });
      }
    });
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${String(code)}:\n${output}`));
    });
  });
}

function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.removeAllListeners("exit");
    child.on("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

/** POSTs a search to `url` from `connections` connections for `seconds`, in a process of its own (autocannon). */
function writeLoad(url: string, connections: number, seconds: number): Promise<WriteFigures> {
  const body = JSON.stringify({ query: "bench postgres write", sources: ["bench"] });
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [AUTOCANNON, "-j", "-n", "-c", String(connections), "-d", String(seconds), "-m", "POST", "-H", "content-type=application/json", "-b", body, `${url}${SEARCHES}`],
      { maxBuffer: 16 * 1024 * 1024 },
      (error, stdout) => {
        if (error !== null) return reject(error);
        const result = JSON.parse(stdout.trim().split("\n").pop() ?? "{}") as { requests: { total: number }; duration: number; non2xx: number; errors: number; timeouts: number };
        const ok = result.requests.total - result.non2xx;
        resolve({ writesPerSecond: ok / result.duration, failed: result.non2xx + result.errors + result.timeouts });
      },
    );
  });
}

/** Boots `processes` servers on one set of databases (all at once), loads them together, stops them. */
async function measure(processes: number, env: Record<string, string>, seconds: number): Promise<WriteFigures> {
  const servers = await Promise.all(Array.from({ length: processes }, () => startServer(env)));
  if (process.env.BENCH_VERBOSE === "1") process.stderr.write(`  ${processes} server(s) listening: ${servers.map((server) => server.url).join(" ")}\n`);
  try {
    const figures = await Promise.all(servers.map((server) => writeLoad(server.url, Math.max(1, Math.floor(CONNECTIONS / processes)), seconds)));
    return { writesPerSecond: figures.reduce((sum, figure) => sum + figure.writesPerSecond, 0), failed: figures.reduce((sum, figure) => sum + figure.failed, 0) };
  } finally {
    await Promise.all(servers.map((server) => stopServer(server.child)));
  }
}

async function onSqlite(seconds: number): Promise<WriteFigures> {
  const dataDir = benchDir("bench-postgres-sqlite");
  try {
    return await measure(1, { DATABASE_DIR: dataDir }, seconds);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function onPostgres(serverUrl: string, processes: number, seconds: number): Promise<WriteFigures> {
  const dataDir = benchDir("bench-postgres-pg");
  let database: PostgresDatabase | undefined;
  try {
    database = await createPostgresDatabase(serverUrl, "moduledb_bench");
    return await measure(processes, { DATABASE_URL: database.url, DATABASE_DIR: dataDir }, seconds);
  } finally {
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * `npm run bench -- postgres`: HTTP writes per second (POST a ciap search, every database of the
 * server on the engine) with 64 connections from a separate load process — one server on SQLite
 * files, one server on PostgreSQL, and four servers on the same PostgreSQL database (16 connections
 * each). `MODULEDB_BENCH_POSTGRES_URL` names the server; else a private cluster is started (Debian
 * postgresql). Rounds are interleaved; the median of each is printed.
 */
export const postgresSuite: BenchSuite = {
  name: "postgres",
  description: `HTTP writes/s: 1 server on SQLite, 1 and 4 servers on one PostgreSQL database (${CONNECTIONS} connections, ${ROUNDS} interleaved rounds, median; BENCH_DURATION_MS each, default 5 s)`,
  async run() {
    const seconds = durationSeconds();
    const external = process.env.MODULEDB_BENCH_POSTGRES_URL?.trim();
    let privateServer: PostgresServerHandle | undefined;
    const serverUrl = external !== undefined && external !== "" ? external : (privateServer = await startPostgresServer()).url;
    try {
      const results = { sqlite: [] as WriteFigures[], pg1: [] as WriteFigures[], pg4: [] as WriteFigures[] };
      const note = (round: number, what: string, figures: WriteFigures) => {
        process.stderr.write(`  round ${round + 1}: ${what}: ${formatRate(figures.writesPerSecond)}, ${figures.failed} failed\n`);
        return figures;
      };
      for (let round = 0; round < ROUNDS; round += 1) {
        results.sqlite.push(note(round, "SQLite, 1 process", await onSqlite(seconds)));
        results.pg1.push(note(round, "PostgreSQL, 1 process", await onPostgres(serverUrl, 1, seconds)));
        results.pg4.push(note(round, "PostgreSQL, 4 processes", await onPostgres(serverUrl, 4, seconds)));
      }
      const rate = (figures: readonly WriteFigures[]) => median(figures.map((figure) => figure.writesPerSecond));
      const failed = (figures: readonly WriteFigures[]) => figures.reduce((sum, figure) => sum + figure.failed, 0);
      const sqlite = rate(results.sqlite);
      const pg1 = rate(results.pg1);
      const rows: [string, string, readonly WriteFigures[]][] = [
        ["SQLite files", "1", results.sqlite],
        ["PostgreSQL", "1", results.pg1],
        ["PostgreSQL (one database)", "4", results.pg4],
      ];
      console.log(
        renderTable(
          ["engine", "server processes", "HTTP writes/s", "vs PostgreSQL 1 process", "vs SQLite 1 process", "failed requests"],
          rows.map(([engine, processes, figures]) => [engine, processes, formatRate(rate(figures)), `${(rate(figures) / pg1).toFixed(2)}×`, `${(rate(figures) / sqlite).toFixed(2)}×`, String(failed(figures))]),
        ),
      );
    } finally {
      privateServer?.remove();
    }
  },
};
