/** A job the scheduler runs on an interval. */
export interface ScheduledJob {
  readonly name: string;
  readonly intervalMs: number;
  /** Runs completed, and the last error message if the last run failed. */
  readonly runs: number;
  /** Runs that threw. */
  readonly failures: number;
  /** How long the last completed run took, in milliseconds (undefined before the first). */
  readonly lastDurationMs?: number;
  readonly lastError?: string;
}

interface JobState {
  name: string;
  intervalMs: number;
  runs: number;
  failures: number;
  lastDurationMs?: number;
  lastError?: string;
  timer: NodeJS.Timeout;
  running?: Promise<void>;
}

/**
 * Runs background jobs (cache cleanup and the like) on intervals while the framework is up.
 * A run never overlaps the previous run of the same job; timers do not keep the process alive;
 * `stopAll` (called by `Framework.shutdown`) cancels the timers and waits for runs in progress.
 */
export class Scheduler {
  private readonly jobs = new Map<string, JobState>();
  private stopped = false;

  /** Schedules `task` every `intervalMs`; replaces a job of the same name. */
  every(name: string, intervalMs: number, task: () => Promise<unknown> | unknown): void {
    if (this.stopped) throw new Error(`Scheduler is stopped; cannot schedule '${name}'.`);
    if (!Number.isFinite(intervalMs) || intervalMs <= 0) throw new RangeError(`Job '${name}': intervalMs must be positive, got ${intervalMs}.`);
    this.cancel(name);
    const state: JobState = {
      name,
      intervalMs,
      runs: 0,
      failures: 0,
      timer: setInterval(() => {
        if (state.running !== undefined) return;
        state.running = (async () => {
          const started = performance.now();
          try {
            await task();
            delete state.lastError;
          } catch (error) {
            state.lastError = error instanceof Error ? error.message : String(error);
            state.failures += 1;
          } finally {
            state.lastDurationMs = performance.now() - started;
            state.runs += 1;
            delete state.running;
          }
        })();
      }, intervalMs),
    };
    state.timer.unref();
    this.jobs.set(name, state);
  }

  /** Stops one job. */
  cancel(name: string): void {
    const state = this.jobs.get(name);
    if (state === undefined) return;
    clearInterval(state.timer);
    this.jobs.delete(name);
  }

  /** The scheduled jobs and how they went. */
  list(): ScheduledJob[] {
    return [...this.jobs.values()].map(({ name, intervalMs, runs, failures, lastDurationMs, lastError }) => ({
      name,
      intervalMs,
      runs,
      failures,
      ...(lastDurationMs === undefined ? {} : { lastDurationMs }),
      ...(lastError === undefined ? {} : { lastError }),
    }));
  }

  /** Cancels every job and waits for runs in progress. */
  async stopAll(): Promise<void> {
    this.stopped = true;
    const running = [...this.jobs.values()].flatMap((state) => (state.running === undefined ? [] : [state.running]));
    for (const name of [...this.jobs.keys()]) this.cancel(name);
    await Promise.allSettled(running);
  }
}
