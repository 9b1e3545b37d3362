import type { LockStats } from "../database/retry-policy";

/** How a statement ended: it ran (`ok`) or it failed or was refused (`error`). */
export type StatementOutcome = "ok" | "error";

/**
 * How a transaction ended: `committed`; `rolled_back` (by its caller, or by the engine when the
 * unit of work ended without committing); `failed` (it could not begin, its COMMIT failed, or the
 * engine dropped it after a storage fault).
 */
export type TransactionOutcome = "committed" | "rolled_back" | "failed";

/** One statement an engine ran for a database. */
export interface StatementEvent {
  readonly database: string;
  /** The SQL text as sent (parameters are bound separately and never part of it). */
  readonly sql: string;
  /** From the caller's first attempt to the end, lock retries' backoff included. */
  readonly seconds: number;
  /**
   * How long the statement itself ran (its last attempt): what the slow-statement log judges, so
   * a statement that merely waited out another process' lock is counted as a lock retry, not as slow.
   */
  readonly executionSeconds: number;
  readonly outcome: StatementOutcome;
}

/** What a database reports as it works; every method is optional and must not throw. */
export interface ActivityObserver {
  statement?(event: StatementEvent): void;
  transaction?(database: string, seconds: number, outcome: TransactionOutcome): void;
  /** Time a caller queued before it got the database's connection (the SQLite write gate). */
  gateWait?(database: string, seconds: number): void;
  lockRetry?(database: string): void;
  lockedFailure?(database: string): void;
  checkpoint?(database: string, at: Date): void;
}

/**
 * The one place an engine reports what a database does: statements, transactions, waits for the
 * connection, lock retries and checkpoints. It holds no figures itself — observers (the metrics
 * registry of the framework that opened the database) turn the reports into counters and
 * histograms — so an engine needs no knowledge of who listens, and a database re-opened by a
 * reload reports to the same observers under the same name.
 */
export class DatabaseActivity {
  private readonly observers = new Set<ActivityObserver>();
  private lastCheckpoint: Date | undefined;
  private readonly counts = { retries: 0, lockedFailures: 0 };

  /**
   * Lock contention counters in the shape `retryOnLocked` updates; each increment is also
   * reported to the observers (so `/metrics` sees every retry, not a sample of them).
   */
  readonly lockStats: LockStats;

  constructor(readonly database: string) {
    const activity = this;
    this.lockStats = {
      get retries() {
        return activity.counts.retries;
      },
      set retries(value: number) {
        const added = value - activity.counts.retries;
        activity.counts.retries = value;
        for (let index = 0; index < added; index += 1) activity.notify((observer) => observer.lockRetry?.(activity.database));
      },
      get lockedFailures() {
        return activity.counts.lockedFailures;
      },
      set lockedFailures(value: number) {
        const added = value - activity.counts.lockedFailures;
        activity.counts.lockedFailures = value;
        for (let index = 0; index < added; index += 1) activity.notify((observer) => observer.lockedFailure?.(activity.database));
      },
    };
  }

  /** Starts reporting to `observer`; returns how to stop. Adding the same observer twice is a no-op. */
  observe(observer: ActivityObserver): () => void {
    this.observers.add(observer);
    return () => this.observers.delete(observer);
  }

  /** When the engine last checkpointed this database's log (undefined: not since it was opened). */
  get lastCheckpointAt(): Date | undefined {
    return this.lastCheckpoint;
  }

  /** A statement took `seconds` (lock retries included; `executionSeconds` without them) and ended with `outcome`. */
  statement(sql: string, seconds: number, outcome: StatementOutcome, executionSeconds = seconds): void {
    const event: StatementEvent = { database: this.database, sql, seconds, executionSeconds, outcome };
    this.notify((observer) => observer.statement?.(event));
  }

  /** A transaction ended `seconds` after it began (0 for one that could not begin). */
  transaction(seconds: number, outcome: TransactionOutcome): void {
    this.notify((observer) => observer.transaction?.(this.database, seconds, outcome));
  }

  /** A caller waited `seconds` for the connection. */
  gateWait(seconds: number): void {
    this.notify((observer) => observer.gateWait?.(this.database, seconds));
  }

  /** The engine checkpointed the database's log into its main file. */
  checkpoint(at: Date = new Date()): void {
    this.lastCheckpoint = at;
    this.notify((observer) => observer.checkpoint?.(this.database, at));
  }

  private notify(call: (observer: ActivityObserver) => void): void {
    for (const observer of this.observers) {
      try {
        call(observer);
      } catch {
        // Observing must never break the statement being observed.
      }
    }
  }
}
