import { spawn, type ChildProcess } from "node:child_process";
import { rmSync } from "node:fs";
import path from "node:path";
import { bootFramework } from "../framework/boot/boot-framework";
import { renderTable } from "../framework/cli/output";
import type { WriterFigures } from "./crud/writer-process";
import { benchDir, REPO_ROOT, type BenchSuite } from "./suite";

const WORKER = path.join(REPO_ROOT, "dist", "bench", "crud", "writer-process.js");
const PROCESS_COUNTS = [1, 4] as const;
const CONCURRENCY = 4;

function envNumber(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? String(fallback));
  return Number.isFinite(value) && value > 0 ? Math.floor(value) : fallback;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/** Starts a writer and resolves once it has booted (printed `ready`). */
function startWriter(dataDir: string, name: string, durationMs: number): Promise<{ child: ChildProcess; done: Promise<WriterFigures> }> {
  const child = spawn(process.execPath, [WORKER, name, String(durationMs), String(CONCURRENCY)], { env: { ...process.env, DATABASE_DIR: dataDir }, stdio: ["pipe", "pipe", "inherit"] });
  let output = "";
  return new Promise((resolve, reject) => {
    const done = new Promise<WriterFigures>((finish, fail) => {
      child.on("exit", (code) => {
        const last = output.trim().split("\n").pop() ?? "";
        if (code !== 0) return fail(new Error(`writer ${name} exited with ${code}`));
        finish(JSON.parse(last) as WriterFigures);
      });
    });
    child.stdout?.on("data", (chunk: Buffer) => {
      const before = output;
      output += chunk.toString();
      if (!before.includes("ready\n") && output.includes("ready\n")) resolve({ child, done });
    });
    child.on("error", reject);
    done.catch(reject);
  });
}

/** `processes` writers on one database at once, started together once all have booted: total acknowledged writes per second. */
async function runWriters(dataDir: string, processes: number, durationMs: number): Promise<{ rate: number; errors: number; retries: number }> {
  const writers = await Promise.all(Array.from({ length: processes }, (_, index) => startWriter(dataDir, `w${processes}-${index}`, durationMs)));
  for (const { child } of writers) child.stdin?.end("go\n");
  const figures = await Promise.all(writers.map(({ done }) => done));
  const seconds = Math.max(...figures.map((figure) => figure.seconds));
  return {
    rate: figures.reduce((sum, figure) => sum + figure.acknowledged, 0) / seconds,
    errors: figures.reduce((sum, figure) => sum + Object.values(figure.errors).reduce((a, b) => a + b, 0), 0),
    retries: figures.reduce((sum, figure) => sum + figure.retries, 0),
  };
}

/**
 * `npm run bench -- writers`: CrudService.create from 1 process and from 4 processes writing the
 * same SQLite database at once (each with 4 calls in flight), in interleaved rounds: total
 * acknowledged writes per second, errors and lock retries. SQLite serialises writers, so 4
 * processes at best match 1; what they add is lock waits.
 */
export const writersSuite: BenchSuite = {
  name: "writers",
  description: `CrudService.create from 1 vs 4 processes on one database (${CONCURRENCY} in flight each), interleaved rounds, median (BENCH_ROUNDS, BENCH_DURATION_MS x 3)`,
  async run() {
    const rounds = envNumber("BENCH_ROUNDS", 3);
    const durationMs = envNumber("BENCH_DURATION_MS", 1000) * 3;
    const dataDir = benchDir("bench-writers");
    try {
      // One boot here creates the schema, so the writers race only for writes.
      await (await bootFramework({ rootDir: path.join(REPO_ROOT, "dist"), dataDir })).shutdown();
      const results = new Map<number, { rate: number; errors: number; retries: number }[]>(PROCESS_COUNTS.map((count) => [count, []]));
      for (let round = 0; round < rounds; round += 1) {
        for (const count of round % 2 === 0 ? PROCESS_COUNTS : [...PROCESS_COUNTS].reverse()) results.get(count)?.push(await runWriters(dataDir, count, durationMs));
      }
      const one = median((results.get(1) ?? []).map((result) => result.rate));
      console.log(
        renderTable(
          ["writer processes", "writes/s (total)", "vs 1 process", "errors", "lock retries"],
          PROCESS_COUNTS.map((count) => {
            const runs = results.get(count) ?? [];
            const rate = median(runs.map((result) => result.rate));
            return [String(count), rate.toFixed(0), `${(rate / one).toFixed(2)}×`, String(runs.reduce((sum, run) => sum + run.errors, 0)), String(runs.reduce((sum, run) => sum + run.retries, 0))];
          }),
        ),
      );
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
};
