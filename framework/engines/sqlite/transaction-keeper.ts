import type { DataSource, QueryRunner } from "typeorm";
import { QueryResult } from "typeorm";
import type { DatabaseCondition } from "../../database/database-condition";
import type { DatabaseActivity } from "../../metrics/database-activity";
import { retryOnLocked, type LockStats, type RetryPolicy } from "../../database/retry-policy";
import { isLockedError, sqliteCodeOf, toSqliteDbError } from "./sqlite-error";
import type { TransactionOutcome } from "../../metrics/database-activity";
import { markNoTransaction, runnerTransaction, sqliteHandle } from "./typeorm-internals";

/** The runner's own `query`, before the guard wrapped it. */
export type RawQuery = (sql: string, parameters?: unknown[], structured?: boolean) => Promise<unknown>;

/** What the keeper needs to know about its database. */
export interface KeeperOptions {
  readonly name: string;
  readonly retry: RetryPolicy;
  readonly stats: LockStats;
  readonly condition: DatabaseCondition;
  /** Where each statement's duration and each transaction's end are reported. */
  readonly activity: DatabaseActivity;
}

type StatementKind = "begin" | "commit" | "rollback" | "rollback_to" | "other";

function statementKind(sql: string): StatementKind {
  const head = sql.trimStart().slice(0, 16).toUpperCase();
  if (head.startsWith("BEGIN")) return "begin";
  if (head.startsWith("COMMIT") || head.startsWith("END")) return "commit";
  if (head.startsWith("ROLLBACK TO")) return "rollback_to";
  if (head.startsWith("ROLLBACK")) return "rollback";
  return "other";
}

/** Statements that change the database (a write outside a transaction commits on its own). */
export const WRITE_STATEMENT = /^\s*(INSERT|UPDATE|DELETE|REPLACE|CREATE|ALTER|DROP)\b/i;

/**
 * An error that keeps the SQLite code of the failure it stands for, so it is classified the same
 * way (DISK_FULL, IO_ERROR, ...) wherever it surfaces.
 */
class KeeperError extends Error {
  readonly code: string | undefined;

  constructor(message: string, cause: unknown) {
    super(message, { cause });
    this.name = "KeeperError";
    this.code = sqliteCodeOf(cause);
  }
}

function causeText(cause: unknown): string {
  if (cause === undefined) return "an earlier failure";
  const code = sqliteCodeOf(cause);
  const message = cause instanceof Error ? cause.message : String(cause);
  return code === undefined ? message : `${code}: ${message}`;
}

/**
 * The single owner of transaction truth for one SQLite database. Every statement of the shared
 * query runner passes through {@link execute}; the gate calls {@link settle} before it hands the
 * connection to the next caller.
 *
 * The truth is better-sqlite3's `inTransaction`, re-read after every failure:
 * - a transaction SQLite rolled back on its own (a failed COMMIT or statement under SQLITE_FULL or
 *   SQLITE_IOERR) while TypeORM still believes it open is *lost*: its remaining statements, its
 *   RELEASE and its COMMIT are refused with the original failure, its ROLLBACKs succeed, so nothing
 *   of it is ever acknowledged and nothing after it runs inside it;
 * - a failed BEGIN leaves no transaction, and TypeORM is told so at once;
 * - whatever a unit of work leaves open when it ends is rolled back at release, and TypeORM's
 *   bookkeeping reset, so the next caller always starts on a connection outside any transaction;
 *   a rollback SQLite refuses keeps the connection refused until a later attempt succeeds.
 *
 * Lock errors are retried only where a retry cannot change meaning: BEGIN, a COMMIT whose
 * transaction is still open, and statements outside any transaction.
 */
export class SqliteTransactionKeeper {
  /** The failure after which SQLite dropped a transaction TypeORM still holds open. */
  private lostCause: unknown;
  /** A rollback SQLite refused: the connection still holds a transaction nobody owns. */
  private stuckCause: unknown;
  /** True once the open transaction ran a statement that writes. */
  private wrote = false;
  /** How long the last attempt of the current statement ran (lock retries' waits left out). */
  private lastAttemptSeconds = 0;
  /** `performance.now()` at the open transaction's BEGIN; undefined outside one. */
  private openedAt: number | undefined;

  constructor(
    private readonly dataSource: DataSource,
    private readonly runner: QueryRunner,
    private readonly rawQuery: RawQuery,
    private readonly options: KeeperOptions,
  ) {}

  /** Runs one statement of the shared runner under the rules above, and reports how long it took. */
  async execute(sql: string, parameters?: unknown[], structured?: boolean): Promise<unknown> {
    const started = performance.now();
    this.lastAttemptSeconds = 0;
    try {
      const result = await this.executeKept(sql, parameters, structured);
      this.options.activity.statement(sql, (performance.now() - started) / 1000, "ok", this.lastAttemptSeconds);
      return result;
    } catch (error) {
      this.options.activity.statement(sql, (performance.now() - started) / 1000, "error", this.lastAttemptSeconds);
      throw error;
    }
  }

  /**
   * Throws when a transaction nobody owns is stuck on the connection (a rollback SQLite refused),
   * after one more attempt to roll it back: work that bypasses the query runner (the engine's
   * direct statements) asks this before it touches the connection.
   */
  ensureUsable(): void {
    if (this.stuckCause !== undefined) this.settle();
    if (this.stuckCause !== undefined) {
      throw new KeeperError(`Database '${this.options.name}': a transaction could not be rolled back (${causeText(this.stuckCause)}); the connection is refused until SQLite accepts the rollback.`, this.stuckCause);
    }
  }

  private async executeKept(sql: string, parameters?: unknown[], structured?: boolean): Promise<unknown> {
    this.ensureUsable();
    const statement = sql === "BEGIN TRANSACTION" ? "BEGIN IMMEDIATE TRANSACTION" : sql;
    const kind = statementKind(statement);
    const connection = sqliteHandle(this.dataSource);
    const believed = runnerTransaction(this.runner);
    const isRollback = kind === "rollback" || kind === "rollback_to";
    if (believed.active && believed.depth > 0 && !connection.inTransaction) {
      if (isRollback) return this.nothingToRollBack(kind, structured);
      throw new KeeperError(
        `Database '${this.options.name}': SQLite rolled this transaction back after ${causeText(this.lostCause)}; nothing of it was committed and its remaining statements are refused.`,
        this.lostCause,
      );
    }
    if (isRollback && !connection.inTransaction) return this.nothingToRollBack(kind, structured);
    try {
      const result = await this.run(statement, kind, parameters, structured);
      this.noteSuccess(kind, statement);
      return result;
    } catch (error) {
      this.noteFailure(kind, error);
      throw error;
    }
  }

  /**
   * Puts the connection back outside any transaction, with TypeORM's bookkeeping in step: called
   * by the gate after each holder's unit of work, before anyone else may use the connection.
   */
  settle(): void {
    const connection = sqliteHandle(this.dataSource);
    const believed = runnerTransaction(this.runner);
    if (connection?.open === true && connection.inTransaction) {
      try {
        connection.exec("ROLLBACK");
        this.transactionEnded("rolled_back");
      } catch (error) {
        this.transactionEnded("failed");
        this.stuckCause = error;
        this.options.condition.noteFailure(toSqliteDbError(error, this.options.name));
        return;
      }
      this.options.condition.noteReconciled();
    } else if (believed.active || believed.depth !== 0) {
      this.options.condition.noteReconciled();
    }
    if (believed.active || believed.depth !== 0) markNoTransaction(this.runner);
    this.lostCause = undefined;
    this.stuckCause = undefined;
    this.wrote = false;
    this.transactionEnded("failed");
  }

  /** Reports the open transaction's end, once. */
  private transactionEnded(outcome: TransactionOutcome): void {
    if (this.openedAt === undefined) return;
    this.options.activity.transaction((performance.now() - this.openedAt) / 1000, outcome);
    this.openedAt = undefined;
  }

  private run(statement: string, kind: StatementKind, parameters: unknown[] | undefined, structured: boolean | undefined): Promise<unknown> {
    const { retry, stats } = this.options;
    const attempt = async () => {
      const started = performance.now();
      try {
        return await this.rawQuery(statement, parameters, structured);
      } finally {
        this.lastAttemptSeconds = (performance.now() - started) / 1000;
      }
    };
    const connection = () => sqliteHandle(this.dataSource);
    if (kind === "begin") return retryOnLocked(attempt, isLockedError, retry, stats);
    // A COMMIT refused for a lock leaves its transaction open, so trying again commits the same work;
    // one that SQLite answered by rolling back must not be retried.
    if (kind === "commit") return retryOnLocked(attempt, (error) => isLockedError(error) && connection().inTransaction, retry, stats);
    if (!connection().inTransaction) return retryOnLocked(attempt, isLockedError, retry, stats);
    return attempt();
  }

  private nothingToRollBack(kind: StatementKind, structured: boolean | undefined): unknown {
    if (kind === "rollback") {
      this.lostCause = undefined;
      this.transactionEnded("failed");
    }
    return structured === true ? new QueryResult() : undefined;
  }

  private noteSuccess(kind: StatementKind, statement: string): void {
    const inTransaction = sqliteHandle(this.dataSource).inTransaction;
    if (kind === "begin") {
      this.wrote = false;
      this.openedAt = performance.now();
    } else if (kind === "commit") {
      if (this.wrote) this.options.condition.noteWriteCommitted();
      this.wrote = false;
      this.transactionEnded("committed");
    } else if (kind === "rollback") {
      this.transactionEnded("rolled_back");
    } else if (kind === "other" && WRITE_STATEMENT.test(statement)) {
      if (inTransaction) this.wrote = true;
      else this.options.condition.noteWriteCommitted();
    }
  }

  private noteFailure(kind: StatementKind, error: unknown): void {
    this.options.condition.noteFailure(toSqliteDbError(error, this.options.name));
    const connection = sqliteHandle(this.dataSource);
    const believed = runnerTransaction(this.runner);
    if (kind === "begin" && !connection.inTransaction) this.options.activity.transaction(0, "failed");
    // A COMMIT that failed ends its transaction as failed, whether SQLite dropped it or the caller now rolls it back.
    if (kind === "commit" || !connection.inTransaction) this.transactionEnded("failed");
    if (connection.inTransaction || !believed.active) return;
    // TypeORM marks a transaction active before its BEGIN runs: a failed BEGIN opened nothing.
    if (believed.depth === 0) markNoTransaction(this.runner);
    else this.lostCause ??= error;
  }
}
