import type Database from "better-sqlite3";
import type { ColumnMetadata } from "typeorm/metadata/ColumnMetadata";
import type { DatabaseCondition } from "../../database/database-condition";
import { setTimeout as sleep } from "node:timers/promises";
import { backoffDelay, type LockStats, type RetryPolicy } from "../../database/retry-policy";
import type { DatabaseActivity } from "../../metrics/database-activity";
import type { DirectConnection, DirectMode, DirectStatement, EngineDirect } from "../engine";
import { sliceLeft, type ConnectionGate } from "./connection-gate";
import { isLockedError, toSqliteDbError } from "./sqlite-error";
import type { SqliteReadConnection } from "./read-connection";
import { WRITE_STATEMENT, type SqliteTransactionKeeper } from "./transaction-keeper";

/** What the direct statements need to know about their database. */
export interface SqliteDirectOptions {
  readonly name: string;
  readonly gate: ConnectionGate;
  readonly keeper: SqliteTransactionKeeper;
  readonly retry: RetryPolicy;
  readonly stats: LockStats;
  readonly condition: DatabaseCondition;
  readonly activity: DatabaseActivity;
  /** The connection (it lives on the TypeORM driver, which may replace it when it reconnects). */
  readonly connection: () => Database.Database;
  /** The read connection (WAL mode): read units outside the writer's units run there. */
  readonly reader?: SqliteReadConnection;
}

/** Column types TypeORM's SQLite driver converts when it stores a value (`preparePersistentValue`). */
const CONVERTED_ON_WRITE = new Set(["boolean", "date", "time", "datetime", "json", "jsonb", "simple-json", "simple-array", "simple-enum"]);
/** … and when it returns one (`prepareHydratedValue`). */
const CONVERTED_ON_READ = CONVERTED_ON_WRITE;

/** What one unit of direct work did so far: whether retrying it whole could repeat a committed write. */
interface UnitState {
  committedWrites: number;
}

/** better-sqlite3 binds no booleans; TypeORM stores them as 0/1, and so does the direct path (a copy only when there is one). */
function bindable(parameters: readonly unknown[]): readonly unknown[] {
  for (let index = 0; index < parameters.length; index += 1) {
    if (typeof parameters[index] === "boolean") return parameters.map((value) => (typeof value === "boolean" ? (value ? 1 : 0) : value));
  }
  return parameters;
}

/**
 * One better-sqlite3 statement, reported like every statement of the query runner: its duration
 * to the activity, its failure to the condition (storage faults, corruption), a write outside a
 * transaction as one committed (implicit) transaction.
 */
class SqliteDirectStatement implements DirectStatement {
  private readonly writes: boolean;

  constructor(
    private readonly statement: Database.Statement,
    private readonly sql: string,
    private readonly owner: SqliteDirect,
  ) {
    this.writes = WRITE_STATEMENT.test(sql);
  }

  get(parameters: readonly unknown[]): Record<string, unknown> | undefined {
    // A write (`INSERT … RETURNING`) runs to its end: outside a transaction it commits at its last
    // step, and better-sqlite3's get() would stop at the first row and drop a failed commit unseen.
    if (this.writes) return this.all(parameters)[0];
    const started = performance.now();
    try {
      const row = this.statement.get(...bindable(parameters)) as Record<string, unknown> | undefined;
      this.owner.ran(this.sql, started, this.writes);
      return row;
    } catch (error) {
      throw this.owner.failed(this.sql, started, error, false);
    }
  }

  all(parameters: readonly unknown[]): Record<string, unknown>[] {
    const implicit = this.writes && !this.owner.inTransaction();
    const started = performance.now();
    try {
      const rows = this.statement.all(...bindable(parameters)) as Record<string, unknown>[];
      this.owner.ran(this.sql, started, this.writes);
      return rows;
    } catch (error) {
      throw this.owner.failed(this.sql, started, error, implicit);
    }
  }

  run(parameters: readonly unknown[]): number {
    const implicit = this.writes && !this.owner.inTransaction();
    const started = performance.now();
    try {
      const { changes } = this.statement.run(...bindable(parameters));
      this.owner.ran(this.sql, started, this.writes);
      return changes;
    } catch (error) {
      throw this.owner.failed(this.sql, started, error, implicit);
    }
  }
}

/**
 * Direct statements on the SQLite connection, for work that needs no await between statements.
 *
 * better-sqlite3 is synchronous, so a unit that starts while nobody holds the gate runs to its
 * end before any other caller can touch the connection: it needs no queue and no async context,
 * and runs at once. Otherwise it queues on the gate like any other unit. Either way it keeps the
 * rules of the transaction keeper: a connection stuck in a transaction nobody owns is refused,
 * nothing is left open when the unit ends, and lock errors are retried only where that cannot
 * change meaning (the unit failed before anything of it committed). Single statements outside a
 * transaction commit on their own (SQLite's implicit transaction) and are reported as one.
 */
export class SqliteDirect implements EngineDirect {
  private readonly statements = new Map<Database.Database, Map<string, SqliteDirectStatement>>();
  private unit: UnitState | undefined;
  /** `performance.now()` at the open direct transaction's BEGIN. */
  private openedAt = 0;
  private wroteInTransaction = false;

  constructor(private readonly options: SqliteDirectOptions) {}

  placeholder(): string {
    return "?";
  }

  keepsValuesAsIs(column: ColumnMetadata, direction: "read" | "write"): boolean {
    if (column.transformer !== undefined) return false;
    const type = column.type;
    if (type === Boolean || type === Date || (type === Number && direction === "read")) return false;
    return typeof type === "function" || !(direction === "read" ? CONVERTED_ON_READ : CONVERTED_ON_WRITE).has(String(type));
  }

  run<T>(mode: DirectMode, work: (connection: DirectConnection) => T): T | Promise<T> {
    const { gate, reader } = this.options;
    // Inside a gated unit of the same caller (a TypeORM transaction, say): part of that unit.
    if (gate.isHeld()) return this.attempt(mode, work);
    // A read outside the writer's units never waits for writers: the read connection serves it.
    if (mode === "read" && reader !== undefined) return reader.runNow((connection) => work(this.readerView(connection)));
    if (gate.isFree() && sliceLeft()) {
      gate.noteImmediateUse();
      const state: UnitState = { committedWrites: 0 };
      try {
        return this.attempt(mode, work, state);
      } catch (error) {
        if (!this.retriable(error, state)) throw error;
        const { retry, stats } = this.options;
        if (retry.maxRetries === 0) {
          stats.lockedFailures += 1;
          throw error;
        }
        stats.retries += 1;
        return gate.run(() => this.retrying(mode, work, 1));
      }
    }
    return gate.run(() => this.retrying(mode, work, 0));
  }

  /** Reports a statement that ran. */
  ran(sql: string, started: number, writes: boolean): void {
    const seconds = (performance.now() - started) / 1000;
    this.options.activity.statement(sql, seconds, "ok", seconds);
    if (!writes || this.options.connection().inTransaction) {
      if (writes) this.wroteInTransaction = true;
      return;
    }
    // A write outside a transaction: committed by SQLite on its own.
    if (this.unit !== undefined) this.unit.committedWrites += 1;
    this.options.condition.noteWriteCommitted();
    this.options.activity.transaction(seconds, "committed");
  }

  /** True while the connection is inside a transaction. */
  inTransaction(): boolean {
    return this.options.connection().inTransaction;
  }

  /** Reports a statement that failed (`implicit`: a write that ran in SQLite's own transaction), and returns the error to throw. */
  failed(sql: string, started: number, error: unknown, implicit: boolean): unknown {
    const seconds = (performance.now() - started) / 1000;
    this.options.activity.statement(sql, seconds, "error", seconds);
    this.options.condition.noteFailure(toSqliteDbError(error, this.options.name));
    // A write outside a transaction that failed: SQLite rolled its implicit transaction back.
    if (implicit) this.options.activity.transaction(seconds, "rolled_back");
    return error;
  }

  private retriable(error: unknown, state: UnitState): boolean {
    return isLockedError(error) && state.committedWrites === 0 && !this.options.connection().inTransaction;
  }

  /**
   * Runs the unit under the gate, retrying lock errors with the database's backoff, as
   * `retryOnLocked` does; `done` retries were already counted (the first attempt ran at once).
   */
  private async retrying<T>(mode: DirectMode, work: (connection: DirectConnection) => T, done: number): Promise<T> {
    const { retry, stats } = this.options;
    for (let retries = done; ; retries += 1) {
      if (retries > 0) await sleep(backoffDelay(retry, retries - 1));
      // A unit that committed part of itself must not run again: only clean failures count as locked.
      const state: UnitState = { committedWrites: 0 };
      try {
        return this.attempt(mode, work, state);
      } catch (error) {
        if (!this.retriable(error, state)) throw error;
        if (retries >= retry.maxRetries) {
          stats.lockedFailures += 1;
          throw error;
        }
        stats.retries += 1;
      }
    }
  }

  // Reads reach here only inside the writer's units, or without a read connection (other journal modes).
  private attempt<T>(_mode: DirectMode, work: (connection: DirectConnection) => T, state?: UnitState): T {
    const outer = this.unit;
    if (state !== undefined) this.unit = state;
    try {
      if (outer === undefined) this.options.keeper.ensureUsable();
      return work(this.connectionView());
    } finally {
      this.unit = outer;
      // Nothing of a unit stays open after it, whatever it did (the gate settles queued units itself).
      if (outer === undefined && !this.options.gate.isHeld() && this.options.connection().inTransaction) this.options.keeper.settle();
    }
  }

  private connectionView(): DirectConnection {
    return { prepare: (sql) => this.prepare(sql), transaction: (work) => this.transaction(work) };
  }

  /** The read connection as read work sees it; its `transaction` is a read transaction (one snapshot). */
  private readerView(connection: Database.Database): DirectConnection {
    return {
      prepare: (sql) => this.prepare(sql, connection),
      transaction: <T>(work: () => T): T => {
        if (connection.inTransaction) return work();
        connection.exec("BEGIN");
        try {
          const result = work();
          connection.exec("COMMIT");
          return result;
        } finally {
          if (connection.inTransaction) connection.exec("ROLLBACK");
        }
      },
    };
  }

  private prepare(sql: string, connection: Database.Database = this.options.connection()): SqliteDirectStatement {
    let cache = this.statements.get(connection);
    if (cache === undefined) {
      // A new connection (the driver reconnected): statements of closed ones are useless.
      for (const known of [...this.statements.keys()]) if (!known.open) this.statements.delete(known);
      cache = new Map();
      this.statements.set(connection, cache);
    }
    let statement = cache.get(sql);
    if (statement === undefined) {
      statement = new SqliteDirectStatement(connection.prepare(sql), sql, this);
      cache.set(sql, statement);
    }
    return statement;
  }

  private transaction<T>(work: () => T): T {
    const connection = this.options.connection();
    if (connection.inTransaction) return work();
    try {
      this.prepare("BEGIN IMMEDIATE").run([]);
    } catch (error) {
      this.options.activity.transaction(0, "failed");
      throw error;
    }
    this.openedAt = performance.now();
    this.wroteInTransaction = false;
    try {
      const result = work();
      this.prepare("COMMIT").run([]);
      this.ended("committed");
      return result;
    } catch (error) {
      if (connection.inTransaction) {
        try {
          connection.exec("ROLLBACK");
          this.ended("rolled_back");
        } catch {
          // The keeper's settle (when the unit ends) retries the rollback and refuses the connection meanwhile.
          this.ended("failed");
        }
      } else {
        // SQLite dropped the transaction itself (a failed COMMIT under SQLITE_FULL or SQLITE_IOERR).
        this.ended("failed");
      }
      throw error;
    }
  }

  private ended(outcome: "committed" | "rolled_back" | "failed"): void {
    const seconds = (performance.now() - this.openedAt) / 1000;
    if (outcome === "committed" && this.wroteInTransaction) {
      this.options.condition.noteWriteCommitted();
      if (this.unit !== undefined) this.unit.committedWrites += 1;
    }
    this.wroteInTransaction = false;
    this.options.activity.transaction(seconds, outcome);
  }
}
