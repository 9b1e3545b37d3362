/** How the task queue leases and backs off, read from the environment when the service is built. */
export interface TaskQueueSettings {
  /** `CIAP_TASK_LEASE_SECONDS` (default 300): how long a dequeued task stays its worker's before the next dequeue may reclaim it. */
  readonly leaseSeconds: number;
  /** `CIAP_TASK_BACKOFF_BASE_MS` (default 1000): the first retry's delay; each later retry doubles it. */
  readonly backoffBaseMs: number;
  /** `CIAP_TASK_BACKOFF_MAX_MS` (default 3600000): no retry waits longer than this. */
  readonly backoffMaxMs: number;
}

type Env = Readonly<Record<string, string | undefined>>;

function integer(env: Env, variable: string, fallback: number, min: number, max: number): number {
  const raw = env[variable]?.trim();
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) throw new RangeError(`Invalid ${variable}='${raw}': expected an integer between ${min} and ${max}.`);
  return value;
}

/**
 * The queue's settings; an invalid variable throws, naming it, which marks the ciap module
 * unhealthy at boot (the framework builds every listed service once) instead of running with a guess.
 */
export function loadTaskQueueSettings(env: Env = process.env): TaskQueueSettings {
  return {
    leaseSeconds: integer(env, "CIAP_TASK_LEASE_SECONDS", 300, 1, 86_400),
    backoffBaseMs: integer(env, "CIAP_TASK_BACKOFF_BASE_MS", 1_000, 1, 86_400_000),
    backoffMaxMs: integer(env, "CIAP_TASK_BACKOFF_MAX_MS", 3_600_000, 1, 604_800_000),
  };
}

/**
 * The delay before retry number `retryCount + 1`: `base·2^retryCount`, lengthened by up to a
 * quarter at random (so tasks that failed together do not come back together) and capped at
 * `backoffMaxMs`. Below the cap each delay is longer than the one before, whatever the jitter.
 */
export function backoffDelayMs(retryCount: number, settings: TaskQueueSettings, random: () => number = Math.random): number {
  const nominal = settings.backoffBaseMs * 2 ** retryCount;
  return Math.min(settings.backoffMaxMs, Math.round(nominal * (1 + random() * 0.25)));
}
