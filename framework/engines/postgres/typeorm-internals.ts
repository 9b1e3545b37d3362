import type { ClientBase } from "pg";
import type { DataSource, QueryRunner } from "typeorm";

/**
 * The one place the framework leans on TypeORM internals of its PostgreSQL support; everything
 * here is checked by `test/framework/engines/postgres/typeorm-internals.test.ts`, which fails when
 * TypeORM changes under it.
 *
 * 1. Column types. Module entities are written with the SQLite-flavoured types the framework has
 *    always documented (`datetime`, `blob`, `simple-json`, `real`…). TypeORM's postgres driver
 *    rejects `datetime` and `blob`, and would store JSON as text and `real` as 4-byte floats. The
 *    driver's `normalizeType` (what DDL, validation and schema comparison all go through) is
 *    extended so the same entity gets the faithful PostgreSQL type: see {@link POSTGRES_TYPE_OF}.
 *    Values still convert by the declared type (TypeORM already handles `datetime`, `simple-json`,
 *    `json` and Buffers for postgres), so nothing else changes.
 * 2. Transaction bookkeeping. TypeORM keeps "a transaction is open" on the query runner
 *    (`isTransactionActive`, the protected `transactionDepth`) and never re-reads it from the
 *    connection. When a unit of work ends with the connection still inside a transaction (or the
 *    connection died), the engine rolls back or discards the connection and resets that bookkeeping
 *    here, so the runner object is never handed on with a belief the connection contradicts.
 * 3. The runner's pg client (`databaseConnection`, protected) and its private
 *    `releasePostgresConnection(error)`, which gives a broken client back to the pool as broken.
 */

/**
 * Declared type → PostgreSQL type. `datetime` keeps its instant (`timestamp with time zone`),
 * `blob` its bytes, `json`/`simple-json` become `jsonb` (queryable, compared by value), `real`/
 * `double` stay 8-byte floats as in SQLite. `decimal`/`numeric` stay `numeric` and are read back
 * as exact strings (node-postgres does not turn them into floats); `bigint` likewise as strings.
 */
export const POSTGRES_TYPE_OF: Readonly<Record<string, string>> = {
  // SQLite's INTEGER holds 64 bits: epoch milliseconds (cache expiry, the operations log) overflow a 4-byte integer.
  integer: "bigint",
  datetime: "timestamp with time zone",
  blob: "bytea",
  json: "jsonb",
  "simple-json": "jsonb",
  real: "double precision",
  double: "double precision",
};

type NormalizeType = (column: { type?: unknown; length?: unknown; precision?: unknown; scale?: unknown; isArray?: boolean }) => string;

interface DriverTypes {
  normalizeType: NormalizeType;
  supportedDataTypes: unknown[];
}

const installed = new WeakSet<object>();

/** Extends the driver of a postgres DataSource (before `initialize`, which validates entities) with {@link POSTGRES_TYPE_OF}. */
export function installPostgresTypes(dataSource: DataSource): void {
  const driver = dataSource.driver as unknown as DriverTypes;
  if (installed.has(driver)) return;
  installed.add(driver);
  const original = driver.normalizeType.bind(driver);
  driver.normalizeType = (column) => {
    const declared = typeof column.type === "string" ? POSTGRES_TYPE_OF[column.type.toLowerCase()] : undefined;
    return declared ?? original(column);
  };
}

interface RunnerBookkeeping {
  isTransactionActive: boolean;
  transactionDepth: number;
  databaseConnection: ClientBase | undefined;
  releasePostgresConnection(error?: unknown): Promise<void>;
}

function bookkeeping(runner: QueryRunner): RunnerBookkeeping {
  return runner as unknown as RunnerBookkeeping;
}

/** The pg client a connected runner holds; undefined before `connect()` or after release. */
export function clientOf(runner: QueryRunner): ClientBase | undefined {
  return bookkeeping(runner).databaseConnection;
}

/** TypeORM's transaction depth of the runner (0 outside a transaction, 1 in BEGIN, 2+ in savepoints). */
export function transactionDepth(runner: QueryRunner): number {
  return bookkeeping(runner).transactionDepth;
}

/** Tells TypeORM that no transaction is open (after the connection was rolled back or discarded). */
export function markNoTransaction(runner: QueryRunner): void {
  const internals = bookkeeping(runner);
  internals.isTransactionActive = false;
  internals.transactionDepth = 0;
}

/** Gives the runner's client back to the pool; with `error`, the pool destroys it instead of reusing it. */
export function releaseRunner(runner: QueryRunner, error?: Error): Promise<void> {
  return bookkeeping(runner).releasePostgresConnection(error);
}

/** Fails fast when a connected runner does not hold a pg client where the engine reads its transaction status. */
export function assertConnectedShape(runner: QueryRunner): void {
  if (typeof clientOf(runner)?.getTransactionStatus !== "function") {
    throw new Error("This TypeORM version does not match the framework's PostgreSQL engine: a connected PostgresQueryRunner.databaseConnection is not a pg client.");
  }
}

/** Fails fast (at open time) when TypeORM's postgres runner no longer has the shape the engine relies on. */
export function assertPostgresShape(dataSource: DataSource, runner: QueryRunner): void {
  const internals = bookkeeping(runner);
  const driver = dataSource.driver as unknown as Partial<DriverTypes>;
  const problems = [
    typeof internals.isTransactionActive === "boolean" ? undefined : "QueryRunner.isTransactionActive is not a boolean",
    typeof internals.transactionDepth === "number" ? undefined : "QueryRunner.transactionDepth is not a number",
    typeof internals.releasePostgresConnection === "function" ? undefined : "PostgresQueryRunner.releasePostgresConnection is missing",
    typeof driver.normalizeType === "function" ? undefined : "PostgresDriver.normalizeType is missing",
  ].filter((problem): problem is string => problem !== undefined);
  if (problems.length > 0) throw new Error(`This TypeORM version does not match the framework's PostgreSQL engine: ${problems.join("; ")}.`);
}
