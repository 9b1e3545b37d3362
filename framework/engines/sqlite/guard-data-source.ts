import type { DataSource, EntityManager, QueryRunner } from "typeorm";
import { TypeORMError } from "typeorm";
import { SqliteTransactionKeeper, type RawQuery } from "./transaction-keeper";
import { assertTypeormShape } from "./typeorm-internals";
import type { ConnectionGate } from "./connection-gate";
import type { DatabaseCondition } from "../../database/database-condition";
import type { LockStats, RetryPolicy } from "../../database/retry-policy";
import type { DatabaseActivity } from "../../metrics/database-activity";

/** EntityManager methods that touch the database; each becomes one gated unit of work. */
const GATED_MANAGER_METHODS = [
  "transaction", "query", "save", "remove", "softRemove", "recover", "insert", "update", "upsert",
  "delete", "softDelete", "restore", "exists", "existsBy", "count", "countBy", "sum", "average",
  "minimum", "maximum", "find", "findBy", "findAndCount", "findAndCountBy", "findByIds", "findOne",
  "findOneBy", "findOneById", "findOneOrFail", "findOneByOrFail", "clear", "increment", "decrement",
  "preload", "updateAll", "deleteAll",
] as const;

type QueryFunction = QueryRunner["query"];

/** What the guard needs to know about its database. */
export interface GuardOptions {
  readonly gate: ConnectionGate;
  readonly retry: RetryPolicy;
  readonly stats: LockStats;
  /** Where storage faults and corruption seen by statements are reported. */
  readonly condition: DatabaseCondition;
  /** Where statement and transaction times and gate waits are reported. */
  readonly activity: DatabaseActivity;
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
 * - Transaction state has one owner, the {@link SqliteTransactionKeeper}: it retries lock errors
 *   only where that is safe, refuses the rest of a transaction SQLite rolled back on its own, and
 *   leaves the connection outside any transaction each time the gate changes hands.
 * - Starting a transaction without holding the gate is refused: it could never be kept whole.
 *
 * Returns the keeper, which the engine's direct statements consult too.
 */
export function guardDataSource(dataSource: DataSource, options: GuardOptions): SqliteTransactionKeeper {
  const { gate, retry, stats, condition, activity } = options;
  const runner = dataSource.createQueryRunner();
  assertTypeormShape(dataSource, runner);
  const keeper = new SqliteTransactionKeeper(dataSource, runner, runner.query.bind(runner) as RawQuery, { name: gate.name, retry, stats, condition, activity });
  gate.beforeRelease(() => keeper.settle());
  gate.onWait((seconds) => activity.gateWait(seconds));

  const gatedQuery = (sql: string, parameters?: unknown[], structured?: boolean): Promise<unknown> =>
    gate.isHeld() ? keeper.execute(sql, parameters, structured) : gate.run(() => keeper.execute(sql, parameters, structured));
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
  return keeper;
}
