/** One benchmark suite of `npm run bench`. */
export interface BenchSuite {
  /** Short name, used to pick suites: `npm run bench -- <name> ...`. */
  readonly name: string;
  readonly description: string;
  /** Runs the suite and prints its figures; baselines are measured in the same run. */
  run(): Promise<void>;
}

/** Formats operations per second. */
export function formatRate(opsPerSecond: number): string {
  if (opsPerSecond >= 1000) return `${(opsPerSecond / 1000).toFixed(1)}k ops/s`;
  // Slow operations (bulk inserts) would round to a handful of whole numbers; keep a decimal.
  return opsPerSecond >= 100 ? `${opsPerSecond.toFixed(0)} ops/s` : `${opsPerSecond.toFixed(1)} ops/s`;
}

/** Runs `operation` repeatedly for about `durationMs` (after a warm-up) and returns operations per second. */
export async function measureRate(operation: () => unknown, durationMs = 1000, warmup = 50): Promise<number> {
  for (let i = 0; i < warmup; i += 1) await operation();
  let count = 0;
  const started = performance.now();
  while (performance.now() - started < durationMs) {
    await operation();
    count += 1;
  }
  return count / ((performance.now() - started) / 1000);
}
