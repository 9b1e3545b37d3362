/**
 * The load generator of the http suite, run as its own process (`node dist/bench/load-worker.js
 * '<json options>'`) so it never shares the measured server's event loop. It drives autocannon
 * through its programmatic API, which (unlike its command line) can mix request kinds on every
 * connection, and prints one JSON line of {@link LoadFigures}.
 */
import type { LoadFigures, LoadOptions } from "./http-load";

interface AutocannonResult {
  readonly requests: { readonly average: number };
  readonly latency: { readonly p50: number; readonly p99: number };
  readonly non2xx: number;
  readonly errors: number;
}

type Autocannon = (options: Record<string, unknown>) => Promise<AutocannonResult>;

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? "{}") as LoadOptions;
  // autocannon ships no types; this is the part of its API the bench uses.
  const autocannon = require("autocannon") as Autocannon;
  const requests = options.requests?.map((request) => ({
    method: request.method,
    path: request.path,
    ...(request.body === undefined ? {} : { body: JSON.stringify(request.body), headers: { "content-type": "application/json" } }),
  }));
  const base = { url: options.url, connections: options.connections, ...(requests === undefined ? {} : { requests }) };
  if (options.warmupSeconds !== undefined && options.warmupSeconds > 0) await autocannon({ ...base, connections: Math.min(2, options.connections), duration: options.warmupSeconds });
  if (options.readySignal === true) {
    process.stdout.write("warm\n");
    await new Promise<void>((resolve) => process.stdin.once("data", () => resolve()));
    // A stdin left flowing would keep this process alive after it printed its figures.
    process.stdin.destroy();
  }
  const result = await autocannon({ ...base, duration: options.durationSeconds });
  const figures: LoadFigures = {
    requestsPerSecond: result.requests.average,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  };
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
