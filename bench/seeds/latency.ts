/** p50/p99 of one operation called one at a time (the latency a single caller sees). */
export interface Latency {
  readonly p50Ms: number;
  readonly p99Ms: number;
}

function percentile(sorted: readonly number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] ?? Number.NaN;
}

/** Calls `operation(i)` `iterations` times after `warmup` calls and returns its latency percentiles. */
export async function latency(operation: (index: number) => unknown, iterations = 500, warmup = 30): Promise<Latency> {
  for (let i = 0; i < warmup; i += 1) await operation(i);
  const samples: number[] = [];
  for (let i = 0; i < iterations; i += 1) {
    const before = performance.now();
    await operation(warmup + i);
    samples.push(performance.now() - before);
  }
  samples.sort((a, b) => a - b);
  return { p50Ms: percentile(samples, 0.5), p99Ms: percentile(samples, 0.99) };
}

/** Throws the error of an Err result so a failing operation stops the bench instead of timing errors. */
export function ok<T>(result: { isErr(): boolean; _unsafeUnwrap(): T; _unsafeUnwrapErr(): unknown }): T {
  if (result.isErr()) throw new Error(JSON.stringify(result._unsafeUnwrapErr()));
  return result._unsafeUnwrap();
}

/** One line: the module operation, the raw query beside it, the ratio, and the seed's target (printed, never asserted). */
export function report(name: string, module: Latency, raw: Latency, targetMs: number): void {
  const ratio = raw.p99Ms > 0 ? module.p99Ms / raw.p99Ms : Number.NaN;
  const verdict = module.p99Ms < targetMs ? "under" : "OVER";
  console.log(
    `  ${name.padEnd(44)} module p50 ${module.p50Ms.toFixed(3)} ms  p99 ${module.p99Ms.toFixed(3)} ms | raw p50 ${raw.p50Ms.toFixed(3)} ms  p99 ${raw.p99Ms.toFixed(3)} ms | ${ratio.toFixed(1)}x raw | target p99 < ${targetMs} ms: ${verdict}`,
  );
}
