import type Database from "better-sqlite3";
import type { DataSource, QueryRunner } from "typeorm";

/**
 * The one place the framework leans on TypeORM internals of its SQLite support.
 *
 * TypeORM keeps its own idea of "a transaction is open" on the query runner (`isTransactionActive`
 * and the protected `transactionDepth` that picks BEGIN or SAVEPOINT) and never re-reads it from
 * the connection. When SQLite rolls a transaction back on its own (a COMMIT that fails with
 * SQLITE_FULL or SQLITE_IOERR does) the two drift apart, and every later write becomes a SAVEPOINT
 * inside a transaction that never commits. The transaction keeper corrects that bookkeeping here,
 * and `test/framework/engines/sqlite/typeorm-internals.test.ts` fails if TypeORM changes under it.
 */

interface RunnerBookkeeping {
  isTransactionActive: boolean;
  transactionDepth: number;
}

/** What TypeORM believes about the runner's transaction. */
export interface RunnerTransactionView {
  /** TypeORM's `isTransactionActive`: set before BEGIN runs, cleared after COMMIT or ROLLBACK succeed. */
  readonly active: boolean;
  /** 0 outside a transaction, 1 inside BEGIN, 2+ inside SAVEPOINTs. */
  readonly depth: number;
}

function bookkeeping(runner: QueryRunner): RunnerBookkeeping {
  return runner as unknown as RunnerBookkeeping;
}

/** TypeORM's view of the runner's transaction. */
export function runnerTransaction(runner: QueryRunner): RunnerTransactionView {
  const internals = bookkeeping(runner);
  return { active: internals.isTransactionActive, depth: internals.transactionDepth };
}

/** Tells TypeORM that no transaction is open (after SQLite has confirmed it has none). */
export function markNoTransaction(runner: QueryRunner): void {
  const internals = bookkeeping(runner);
  internals.isTransactionActive = false;
  internals.transactionDepth = 0;
}

/**
 * The better-sqlite3 handle of a DataSource. It lives on the driver (`driver.databaseConnection`),
 * not on the query runner, whose `databaseConnection` field stays undefined for SQLite.
 */
export function sqliteHandle(dataSource: DataSource): Database.Database {
  return (dataSource.driver as unknown as { databaseConnection: Database.Database }).databaseConnection;
}

/**
 * Fails fast (at open time, not at the first full disk) when TypeORM no longer has the shape the
 * keeper relies on: the bookkeeping fields on the runner and a better-sqlite3 handle on the driver.
 */
export function assertTypeormShape(dataSource: DataSource, runner: QueryRunner): void {
  const internals = bookkeeping(runner);
  const handle = sqliteHandle(dataSource) as unknown as { inTransaction?: unknown; exec?: unknown } | undefined;
  const problems = [
    typeof internals.isTransactionActive === "boolean" ? undefined : "QueryRunner.isTransactionActive is not a boolean",
    typeof internals.transactionDepth === "number" ? undefined : "QueryRunner.transactionDepth is not a number",
    typeof handle?.inTransaction === "boolean" && typeof handle.exec === "function" ? undefined : "driver.databaseConnection is not a better-sqlite3 Database",
  ].filter((problem): problem is string => problem !== undefined);
  if (problems.length > 0) {
    throw new Error(`This TypeORM version does not match the framework's SQLite transaction keeper: ${problems.join("; ")}.`);
  }
}
