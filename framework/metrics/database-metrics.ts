import { stat } from "node:fs/promises";
import { Counter, Gauge, Histogram, type Registry } from "prom-client";
import type { DatabaseEntry } from "../database/database-registry";
import type { ActivityObserver, StatementEvent, TransactionOutcome } from "./database-activity";
import { DATABASE_SECONDS_BUCKETS } from "./buckets";
import type { SlowStatementLog } from "./slow-statement-log";

async function sizeOf(file: string): Promise<number | undefined> {
  return stat(file).then(
    (stats) => stats.size,
    () => undefined,
  );
}

/**
 * The per-database metric families. Statements, transactions, gate waits, lock retries and
 * checkpoints arrive as activity reports from the engine; file sizes and states are read when
 * `/metrics` is scraped. Every series is labelled by `database` only (a bounded set: the
 * `DATABASE_NAME`s of the discovered modules plus `framework`).
 */
export class DatabaseMetrics implements ActivityObserver {
  private readonly statements: Counter<"database" | "outcome">;
  private readonly statementSeconds: Histogram<"database">;
  private readonly slowStatements: Counter<"database">;
  private readonly transactions: Counter<"database" | "outcome">;
  private readonly transactionSeconds: Histogram<"database">;
  private readonly gateWaitSeconds: Histogram<"database">;
  private readonly lockRetries: Counter<"database">;
  private readonly lockedFailures: Counter<"database">;
  private readonly lastCheckpoint: Gauge<"database">;

  constructor(
    registry: Registry,
    private readonly slowLog: SlowStatementLog,
    entries: () => readonly DatabaseEntry[],
  ) {
    const registers = [registry];
    this.statements = new Counter({ name: "moduledb_statements_total", help: "SQL statements run, by database and outcome (ok, error).", labelNames: ["database", "outcome"], registers });
    this.statementSeconds = new Histogram({ name: "moduledb_statement_duration_seconds", help: "Time each statement took, lock retries included.", labelNames: ["database"], buckets: DATABASE_SECONDS_BUCKETS, registers });
    this.slowStatements = new Counter({ name: "moduledb_slow_statements_total", help: "Statements that took at least SLOW_QUERY_MS (each also logged once).", labelNames: ["database"], registers });
    this.transactions = new Counter({ name: "moduledb_transactions_total", help: "Transactions, by database and outcome (committed, rolled_back, failed).", labelNames: ["database", "outcome"], registers });
    this.transactionSeconds = new Histogram({ name: "moduledb_transaction_duration_seconds", help: "Time from BEGIN to COMMIT or ROLLBACK.", labelNames: ["database"], buckets: DATABASE_SECONDS_BUCKETS, registers });
    this.gateWaitSeconds = new Histogram({ name: "moduledb_gate_wait_seconds", help: "Time a unit of work queued for the database's connection before it ran.", labelNames: ["database"], buckets: DATABASE_SECONDS_BUCKETS, registers });
    this.lockRetries = new Counter({ name: "moduledb_lock_retries_total", help: "Retries after SQLITE_BUSY/SQLITE_LOCKED (another process held the lock).", labelNames: ["database"], registers });
    this.lockedFailures = new Counter({ name: "moduledb_database_locked_total", help: "Operations that gave up after their last lock retry and returned DATABASE_LOCKED.", labelNames: ["database"], registers });
    this.lastCheckpoint = new Gauge({ name: "moduledb_database_last_checkpoint_timestamp_seconds", help: "When the framework last checkpointed the database's WAL into its main file (Unix time).", labelNames: ["database"], registers });
    new Gauge({
      name: "moduledb_database_file_bytes",
      help: "Size of the database's main file.",
      labelNames: ["database"],
      registers,
      async collect() {
        this.reset();
        for (const entry of entries()) {
          const bytes = await sizeOf(entry.file);
          if (bytes !== undefined) this.set({ database: entry.name }, bytes);
        }
      },
    });
    new Gauge({
      name: "moduledb_database_wal_bytes",
      help: "Size of the database's write-ahead log (0 when there is none).",
      labelNames: ["database"],
      registers,
      async collect() {
        this.reset();
        for (const entry of entries()) this.set({ database: entry.name }, (await sizeOf(`${entry.file}-wal`)) ?? 0);
      },
    });
    new Gauge({
      name: "moduledb_database_ready",
      help: "1 while the database is served, 0 while it is refused, failed or closed.",
      labelNames: ["database"],
      registers,
      collect() {
        this.reset();
        for (const entry of entries()) this.set({ database: entry.name }, entry.state === "ready" ? 1 : 0);
      },
    });
    new Gauge({
      name: "moduledb_gate_queue_length",
      help: "Units of work queued for the database's connection right now.",
      labelNames: ["database"],
      registers,
      collect() {
        this.reset();
        for (const entry of entries()) if (entry.database !== undefined) this.set({ database: entry.name }, entry.database.gate.queueLength);
      },
    });
  }

  /** Starts every series of `database` at zero, so a family is present before its first event. */
  declare(database: string): void {
    for (const outcome of ["ok", "error"]) this.statements.inc({ database, outcome }, 0);
    for (const outcome of ["committed", "rolled_back", "failed"]) this.transactions.inc({ database, outcome }, 0);
    this.slowStatements.inc({ database }, 0);
    this.lockRetries.inc({ database }, 0);
    this.lockedFailures.inc({ database }, 0);
    this.statementSeconds.zero({ database });
    this.transactionSeconds.zero({ database });
    this.gateWaitSeconds.zero({ database });
  }

  statement(event: StatementEvent): void {
    this.statements.inc({ database: event.database, outcome: event.outcome });
    this.statementSeconds.observe({ database: event.database }, event.seconds);
    if (this.slowLog.consider(event)) this.slowStatements.inc({ database: event.database });
  }

  transaction(database: string, seconds: number, outcome: TransactionOutcome): void {
    this.transactions.inc({ database, outcome });
    this.transactionSeconds.observe({ database }, seconds);
  }

  gateWait(database: string, seconds: number): void {
    this.gateWaitSeconds.observe({ database }, seconds);
  }

  lockRetry(database: string): void {
    this.lockRetries.inc({ database });
  }

  lockedFailure(database: string): void {
    this.lockedFailures.inc({ database });
  }

  checkpoint(database: string, at: Date): void {
    this.lastCheckpoint.set({ database }, at.getTime() / 1000);
  }
}
