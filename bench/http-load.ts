import { spawn } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";
import { REPO_ROOT } from "./suite";

const WORKER = path.join(REPO_ROOT, "dist", "bench", "load-worker.js");

/** One kind of request a load run sends; connections cycle through the list. */
export interface LoadRequest {
  readonly method: "GET" | "POST";
  readonly path: string;
  readonly body?: Record<string, unknown>;
}

/** What a load run does. */
export interface LoadOptions {
  /** The server's origin (`http://127.0.0.1:port`), or the full URL when `requests` is absent. */
  readonly url: string;
  readonly connections: number;
  readonly durationSeconds: number;
  readonly warmupSeconds?: number;
  readonly requests?: readonly LoadRequest[];
  /** Print `warm` after the warm-up and wait for a line on stdin before the measured run. */
  readonly readySignal?: boolean;
}

/** What one load run measured. */
export interface LoadFigures {
  readonly requestsPerSecond: number;
  readonly latencyP50Ms: number;
  readonly latencyP99Ms: number;
  readonly non2xx: number;
  readonly errors: number;
}

/** A load run in progress; `start` (with `readySignal`) lets the measured part begin. */
export interface RunningLoad {
  /** Resolves once the warm-up is over (at once without `readySignal`). */
  readonly warm: Promise<void>;
  start(): void;
  readonly figures: Promise<LoadFigures>;
}

/** Starts {@link LoadOptions} in a second process (see `load-worker.ts`). */
export function startLoad(options: LoadOptions): RunningLoad {
  const child = spawn(process.execPath, [WORKER, JSON.stringify(options)], { stdio: ["pipe", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  let last = "";
  let markWarm!: () => void;
  const warm = new Promise<void>((resolve) => (markWarm = resolve));
  if (options.readySignal !== true) markWarm();
  createInterface({ input: child.stdout }).on("line", (line) => {
    if (line === "warm") markWarm();
    else last = line;
  });
  const figures = new Promise<LoadFigures>((resolve, reject) => {
    child.on("close", (code) => {
      if (code !== 0) return reject(new Error(`load worker exited with ${code}: ${stderr}`));
      resolve(JSON.parse(last) as LoadFigures);
    });
  });
  return { warm, start: () => child.stdin.end("go\n"), figures };
}

/** Runs {@link LoadOptions} to the end and returns its figures. */
export function runLoad(options: LoadOptions): Promise<LoadFigures> {
  return startLoad(options).figures;
}

/** The run with the median request rate. */
export function medianRun(runs: readonly LoadFigures[]): LoadFigures {
  const sorted = [...runs].sort((a, b) => a.requestsPerSecond - b.requestsPerSecond);
  return sorted[Math.floor(sorted.length / 2)] as LoadFigures;
}

/** One printed line of figures. */
export function loadLine(label: string, figures: LoadFigures): string {
  const problems = figures.non2xx + figures.errors > 0 ? `  (${figures.non2xx} non-2xx, ${figures.errors} errors)` : "";
  return `  ${label.padEnd(48)} ${figures.requestsPerSecond.toFixed(0).padStart(7)} req/s   p50 ${String(figures.latencyP50Ms).padStart(4)} ms   p99 ${String(figures.latencyP99Ms).padStart(5)} ms${problems}`;
}
