import { mkdirSync, mkdtempSync } from "node:fs";
import path from "node:path";

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

/**
 * Runs `operation` repeatedly for about `durationMs` (after a warm-up), at most `maxOperations`
 * times (for operations that use something up, such as rows to delete), and returns operations per second.
 */
export async function measureRate(operation: () => unknown, durationMs = 1000, warmup = 50, maxOperations = Number.POSITIVE_INFINITY): Promise<number> {
  for (let i = 0; i < warmup; i += 1) await operation();
  let count = 0;
  const started = performance.now();
  while (performance.now() - started < durationMs && count < maxOperations) {
    await operation();
    count += 1;
  }
  return count / ((performance.now() - started) / 1000);
}

/** The repository root (bench files run compiled from `dist/bench/`). */
export const REPO_ROOT = path.resolve(__dirname, "..", "..");

/**
 * A fresh folder under the repository's `.tmp/` (created when missing, as on a fresh clone): on the
 * same filesystem as the repository's data, so figures that depend on fsync are the real ones.
 */
export function benchDir(prefix: string): string {
  const base = path.join(REPO_ROOT, ".tmp");
  mkdirSync(base, { recursive: true });
  return mkdtempSync(path.join(base, `${prefix}-`));
}
