import type { DataSource, EntityManager, QueryRunner } from "typeorm";
import { TypeORMError } from "typeorm";
import type Database from "better-sqlite3";
import { isLockedError } from "../errors/sqlite-error";
import type { ConnectionGate } from "./connection-gate";
import { retryOnLocked, type LockStats, type RetryPolicy } from "./retry-policy";

/** EntityManager methods that touch the database; each becomes one gated unit of work. */
const GATED_MANAGER_METHODS = [
  "transaction", "query", "save", "remove", "softRemove", "recover", "insert", "update", "upsert",
  "delete", "softDelete", "restore", "exists", "existsBy", "count", "countBy", "sum", "average",
  "minimum", "maximum", "find", "findBy", "findAndCount", "findAndCountBy", "findByIds", "findOne",
  "findOneBy", "findOneById", "findOneOrFail", "findOneByOrFail", "clear", "increment", "decrement",
  "preload", "updateAll", "deleteAll",
] as const;

type QueryFunction = QueryRunner["query"];

interface RunnerInternals {
  transactionDepth: number;
  isTransactionActive: boolean;
  databaseConnection?: Database.Database;
}

/** What the guard needs to know about its database. */
export interface GuardOptions {
  readonly gate: ConnectionGate;
  readonly retry: RetryPolicy;
  readonly stats: LockStats;
}

function connectionOf(runner: QueryRunner): Database.Database | undefined {
  return (runner as unknown as RunnerInternals).databaseConnection;
}

/**
 * Makes one better-sqlite3 DataSource safe for concurrent callers.
 *
 * - Every statement on the shared connection waits for the gate unless its caller holds it,
 *   so no statement can slip into another caller's open transaction or read its uncommitted rows.
 * - Every EntityManager operation of the default manager (and so every repository) is one gated
 *   unit, which keeps TypeORM's own internal save/remove transactions whole.
 * - Transactions begin IMMEDIATE: the write lock is taken up front, so a lock conflict surfaces at
 *   BEGIN, where retrying is always safe, rather than halfway through the work.
 * - SQLITE_BUSY/SQLITE_LOCKED is retried with backoff where a retry cannot change meaning: at BEGIN,
 *   at COMMIT, and for statements outside a transaction.
 * - Starting a transaction without holding the gate is refused: it could never be kept whole.
 */
export function guardDataSource(dataSource: DataSource, options: GuardOptions): void {
  const { gate, retry, stats } = options;
  const runner = dataSource.createQueryRunner();
  const internals = runner as unknown as RunnerInternals;
  const rawQuery = runner.query.bind(runner) as QueryFunction;

  const execute = async (sql: string, parameters?: unknown[], structured?: boolean): Promise<unknown> => {
    const statement = sql === "BEGIN TRANSACTION" ? "BEGIN IMMEDIATE TRANSACTION" : sql;
    const isBegin = statement.startsWith("BEGIN");
    const retryable = isBegin || statement === "COMMIT" || connectionOf(runner)?.inTransaction !== true;
    try {
      if (!retryable) return await rawQuery(statement, parameters, structured as true);
      return await retryOnLocked(() => rawQuery(statement, parameters, structured as true), isLockedError, retry, stats);
    } catch (error) {
      // TypeORM marks the transaction active before BEGIN runs and inactive only after ROLLBACK
      // succeeds; keep its bookkeeping in step with what SQLite actually has open.
      if (connectionOf(runner)?.inTransaction === false && internals.isTransactionActive) {
        internals.isTransactionActive = false;
        internals.transactionDepth = 0;
      }
      throw error;
    }
  };

  const gatedQuery = (sql: string, parameters?: unknown[], structured?: boolean): Promise<unknown> =>
    gate.isHeld() ? execute(sql, parameters, structured) : gate.run(() => execute(sql, parameters, structured));
  runner.query = gatedQuery as QueryFunction;

  const rawStart = runner.startTransaction.bind(runner);
  runner.startTransaction = async (...args: Parameters<QueryRunner["startTransaction"]>) => {
    if (!gate.isHeld()) {
      throw new TypeORMError(
        `Database '${gate.name}': start transactions with ModuleDatabase.transaction() (or dataSource.transaction()); ` +
          "a transaction begun on the shared query runner directly could not be kept apart from other callers.",
      );
    }
    return rawStart(...args);
  };

  const manager = dataSource.manager as unknown as Record<string, unknown>;
  for (const method of GATED_MANAGER_METHODS) {
    const original = manager[method];
    if (typeof original !== "function") continue;
    manager[method] = function gated(this: EntityManager, ...args: unknown[]): Promise<unknown> {
      return gate.run(() => (original as (...a: unknown[]) => Promise<unknown>).apply(this, args));
    };
  }
}
