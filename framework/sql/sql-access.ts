import { err, errAsync, ok, okAsync, Result, ResultAsync } from "neverthrow";
import type { QueryRunner } from "typeorm";
import type { QueryResult } from "typeorm/query-runner/QueryResult";
import type { ModuleDatabase } from "../database/module-database";
import { dialectOf, type SqlDialect } from "../engines/sql-dialect";
import { dbError, type DbError } from "../errors/db-error";
import { bindParams } from "./sql-params";
import type { ExecuteResult, SqlParam, SqlRow, SqlStatement } from "./sql-types";

/**
 * Transaction control would open or end a transaction on the shared connection behind the gate's
 * back, mixing other callers' statements into it; atomic work goes through `executeTransaction`.
 */
const TRANSACTION_CONTROL = /^\s*(BEGIN|COMMIT|END|ROLLBACK|SAVEPOINT|RELEASE)\b/i;

/** Refuses empty SQL and transaction control; names the statement's position when it has one. */
function checkSqlText(sql: unknown, database: string, index?: number): Result<string, DbError> {
  const where = index === undefined ? "" : `Statement ${index}: `;
  const details = index === undefined ? undefined : { statement_index: index };
  if (typeof sql !== "string" || sql.trim() === "") return err(dbError("VALIDATION_FAILED", `${where}SQL text is empty (expected [sql, params]).`, database, details));
  if (TRANSACTION_CONTROL.test(sql)) {
    return err(dbError("VALIDATION_FAILED", `${where}transaction control is not allowed here; pass the statements to executeTransaction instead.`, database, details));
  }
  return ok(sql);
}

interface PreparedStatement {
  readonly sql: string;
  readonly values: unknown[];
}

function prepareStatement(statement: SqlStatement, index: number, database: string, dialect: SqlDialect): Result<PreparedStatement, DbError> {
  const [sql, params] = Array.isArray(statement) ? statement : [undefined, undefined];
  return checkSqlText(sql, database, index).andThen((text) => bindParams(params, database, dialect, index).map((values) => ({ sql: dialect.positional(text), values })));
}

function toExecuteResult(result: QueryResult): ExecuteResult {
  const raw = result.raw as unknown;
  const lastInsertRowid = typeof raw === "number" || typeof raw === "bigint" ? raw : undefined;
  return { changes: result.affected ?? 0, lastInsertRowid };
}

/**
 * Raw parameterised SQL on one module database — the framework's answer to seed 004's data
 * access layer (`execute`, `fetch_one`, `fetch_all`, `execute_transaction`).
 *
 * Writes run on the database's guarded connection: single statements take the database's gate
 * and are retried on SQLITE_BUSY/LOCKED like any other autocommit statement; queries that cannot
 * write, made outside a transaction, go to the engine's read connection when it has one (see
 * `fetchAll`); `executeTransaction` runs its statements inside `ModuleDatabase.transaction`
 * (SQLite: BEGIN IMMEDIATE, serialised with every other caller), so they all apply or none does.
 * Values only ever reach SQL as bound parameters. Nothing throws: every method returns a
 * ResultAsync with a DbError.
 * Called from inside `ModuleDatabase.transaction(...)`, the statements join that transaction.
 *
 * The same SQL runs on every engine: write `?` placeholders (the engine turns them into its own,
 * `$1`… on PostgreSQL), portable SQL (`INSERT … ON CONFLICT`, `RETURNING`, `TRUE`/`FALSE`,
 * `CAST(x AS INTEGER)`), and {@link SqlAccess.dialect} (`now()`, `toTimestamp()`, `lockRows`…)
 * where the engines differ. Rows come back engine-neutral: timestamps as UTC
 * `YYYY-MM-DD HH:MM:SS.SSS` text everywhere; booleans as SQLite's 1/0 or PostgreSQL's true/false
 * (test them with a truthiness check); `lastInsertRowid` only on SQLite (use `RETURNING`).
 */
export class SqlAccess {
  constructor(
    /** The database the SQL runs on. */
    readonly database: ModuleDatabase,
  ) {}

  /** The SQL that differs between this database's engine and the others. */
  get dialect(): SqlDialect {
    return dialectOf(this.database.dataSource);
  }

  /** An SQL expression for the current time, comparable with stored timestamps (SQLite: `strftime(…)`, PostgreSQL: `CURRENT_TIMESTAMP`). */
  now(): string {
    return this.dialect.now();
  }

  /** Runs one statement that writes (or any statement whose rows you do not need). */
  execute(sql: string, params?: readonly SqlParam[]): ResultAsync<ExecuteResult, DbError> {
    return this.run(sql, params).map(toExecuteResult);
  }

  /** The first row a query returns, or `null` when it returns none. */
  fetchOne<T extends SqlRow = SqlRow>(sql: string, params?: readonly SqlParam[]): ResultAsync<T | null, DbError> {
    return this.fetchAll<T>(sql, params).map((rows) => rows[0] ?? null);
  }

  /**
   * Every row a query returns. A query that cannot write, called outside a transaction, goes to the
   * engine's read connection when it has one (SQLite in WAL mode), so it never waits for writers;
   * anything else (`UPDATE … RETURNING`, a PRAGMA) runs on the writer as before.
   */
  fetchAll<T extends SqlRow = SqlRow>(sql: string, params?: readonly SqlParam[]): ResultAsync<T[], DbError> {
    const dialect = this.dialect;
    return this.run(sql, params, true).map((result) => (Array.isArray(result.records) ? (result.records as T[]).map((row) => dialect.readRow(row)) : []));
  }

  /**
   * Runs statements in order in one write transaction: all of them apply, or — when any fails —
   * none does, and the error names the failing statement's position (`details.statement_index`).
   * Parameters of every statement are checked before the transaction starts.
   */
  executeTransaction(statements: readonly SqlStatement[]): ResultAsync<ExecuteResult[], DbError> {
    const name = this.database.name;
    if (!Array.isArray(statements)) return errAsync(dbError("VALIDATION_FAILED", "executeTransaction takes an array of [sql, params] pairs.", name));
    const dialect = this.dialect;
    const prepared = Result.combine(statements.map((statement, index) => prepareStatement(statement, index, name, dialect)));
    if (prepared.isErr()) return errAsync(prepared.error);
    if (prepared.value.length === 0) return okAsync([]);
    return this.database.transaction(async () => {
      const runner = this.runner();
      const results: ExecuteResult[] = [];
      for (const [index, { sql, values }] of prepared.value.entries()) {
        try {
          results.push(toExecuteResult(await runner.query(sql, values, true)));
        } catch (error) {
          const failure = this.database.classify(error);
          // A thrown DbError is passed through unchanged by the transaction helper, keeping the position.
          throw { ...failure, details: { ...failure.details, statement_index: index } } satisfies DbError;
        }
      }
      return results;
    });
  }

  private run(sql: string, params: readonly SqlParam[] | undefined, mayRead = false): ResultAsync<QueryResult, DbError> {
    const name = this.database.name;
    const text = checkSqlText(sql, name);
    if (text.isErr()) return errAsync(text.error);
    const dialect = this.dialect;
    const statement = dialect.positional(sql);
    const session = this.database.session;
    const onReader = mayRead && !this.database.gate.isHeld() && session.readsOnly?.(statement) === true;
    return bindParams(params, name, dialect).asyncAndThen((values) =>
      ResultAsync.fromPromise(
        onReader
          ? session.read((manager) => manager.connection.createQueryRunner().query(statement, values, true) as Promise<QueryResult>)
          : // The shared runner's query is gated (waits its turn unless the caller holds the gate) and
            // retried on lock errors outside transactions; structured mode reports affected rows.
            this.runner().query(statement, values, true),
        (error) => this.database.classify(error),
      ),
    );
  }

  private runner(): QueryRunner {
    // The engine's guarded runner: SQLite's single shared one, or the one a pooled engine pins for the current unit of work.
    return this.database.dataSource.createQueryRunner();
  }
}
