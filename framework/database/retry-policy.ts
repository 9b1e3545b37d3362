import { setTimeout as sleep } from "node:timers/promises";

/** How lock errors from other connections are retried. */
export interface RetryPolicy {
  /** Retries after the first attempt. */
  readonly maxRetries: number;
  /** Delay before the first retry, in milliseconds; it doubles every retry. */
  readonly baseDelayMs: number;
  /** Upper bound for a single delay, in milliseconds. */
  readonly maxDelayMs: number;
}

/** Counters a database keeps about lock contention; readable through `ModuleDatabase.stats`. */
export interface LockStats {
  /** Retries made after SQLITE_BUSY/SQLITE_LOCKED. */
  retries: number;
  /** Operations that gave up after the last retry (each returned DATABASE_LOCKED). */
  lockedFailures: number;
}

/** Exponential backoff with full jitter: spreads out processes that collided at the same moment. */
export function backoffDelay(policy: RetryPolicy, attempt: number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}

/**
 * Runs `attempt` until it succeeds, fails with something other than a lock error, or runs out of
 * retries. Waiting happens on a timer, so the event loop stays free between attempts.
 */
export async function retryOnLocked<T>(
  attempt: () => Promise<T>,
  isLocked: (error: unknown) => boolean,
  policy: RetryPolicy,
  stats: LockStats,
): Promise<T> {
  for (let retry = 0; ; retry += 1) {
    try {
      return await attempt();
    } catch (error) {
      if (!isLocked(error)) throw error;
      if (retry >= policy.maxRetries) {
        stats.lockedFailures += 1;
        throw error;
      }
      stats.retries += 1;
      await sleep(backoffDelay(policy, retry));
    }
  }
}
