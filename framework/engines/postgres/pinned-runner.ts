import type { DataSource, QueryRunner, Table } from "typeorm";
import type { DatabaseCondition } from "../../database/database-condition";
import type { DatabaseActivity, TransactionOutcome } from "../../metrics/database-activity";
import { isConnectionError, toPostgresDbError } from "./postgres-error";
import { assertConnectedShape, clientOf, markNoTransaction, releaseRunner, transactionDepth } from "./typeorm-internals";

/** What a pinned runner reports to, and how it reaches the pool. */
export interface PinOptions {
  readonly name: string;
  readonly condition: DatabaseCondition;
  readonly activity: DatabaseActivity;
  /** TypeORM's own `createQueryRunner`, before the guard replaced it. */
  readonly createRaw: () => QueryRunner;
  /** Called on the unit's own client, before it goes back, when the unit ran schema statements (the session re-reads its schema shape). */
  onSchemaChange?: (runner: QueryRunner) => Promise<void>;
}

type StatementKind = "begin" | "commit" | "rollback" | "other";

function statementKind(sql: string): StatementKind {
  const head = sql.trimStart().slice(0, 20).toUpperCase();
  if (head.startsWith("START TRANSACTION") || head.startsWith("BEGIN")) return "begin";
  if (head.startsWith("COMMIT") || head.startsWith("END")) return "commit";
  if (head.startsWith("ROLLBACK") && !head.startsWith("ROLLBACK TO")) return "rollback";
  return "other";
}

const WRITE_STATEMENT = /^\s*(INSERT|UPDATE|DELETE|MERGE|CREATE|ALTER|DROP|TRUNCATE|COMMENT)\b/i;
const SCHEMA_STATEMENT = /^\s*(CREATE|ALTER|DROP|COMMENT)\b/i;

/** The tables of the connection's own schema (`current_schema()`): what "every table" means for one module database. */
const OWN_TABLES = `SELECT "table_name" FROM "information_schema"."tables" WHERE "table_schema" = current_schema() AND "table_type" = 'BASE TABLE' ORDER BY "table_name"`;

/**
 * One pool client pinned to one unit of work, and the single owner of its transaction truth: the
 * client's own transaction status (`getTransactionStatus()`: idle, in a transaction, or in a
 * failed one), read again when the unit ends. Whatever the unit left open is rolled back and
 * TypeORM's bookkeeping reset before the client goes back to the pool; a client whose connection
 * failed, or whose rollback failed, is handed back as broken so the pool never lends it again.
 */
export class PinnedRunner {
  /** A connection failure seen on this client: it must not be reused. */
  private broken: Error | undefined;
  private wrote = false;
  /** True once the unit ran a schema statement. */
  private changedSchema = false;
  private openedAt: number | undefined;

  private constructor(
    readonly runner: QueryRunner,
    private readonly options: PinOptions,
  ) {}

  /** Takes a client from the pool (reporting how long that took) and instruments it. */
  static async acquire(options: PinOptions): Promise<PinnedRunner> {
    const runner = options.createRaw();
    const started = performance.now();
    try {
      await runner.connect();
    } catch (error) {
      await releaseRunner(runner, error instanceof Error ? error : new Error(String(error))).catch(() => undefined);
      options.condition.noteFailure(toPostgresDbError(error, options.name));
      throw error;
    } finally {
      options.activity.gateWait((performance.now() - started) / 1000);
    }
    options.condition.noteReachable();
    try {
      assertConnectedShape(runner);
    } catch (error) {
      await releaseRunner(runner).catch(() => undefined);
      throw error;
    }
    const pinned = new PinnedRunner(runner, options);
    pinned.instrument();
    return pinned;
  }

  private instrument(): void {
    const runner = this.runner;
    const rawQuery = runner.query.bind(runner) as (sql: string, parameters?: unknown[], structured?: boolean) => Promise<unknown>;
    runner.query = (async (sql: string, parameters?: unknown[], structured?: boolean) => {
      const started = performance.now();
      const kind = statementKind(sql);
      try {
        const result = await rawQuery(sql, parameters, structured);
        this.options.activity.statement(sql, (performance.now() - started) / 1000, "ok");
        this.noteSuccess(kind, sql);
        return result;
      } catch (error) {
        this.options.activity.statement(sql, (performance.now() - started) / 1000, "error");
        this.noteFailure(kind, error);
        throw error;
      }
    }) as QueryRunner["query"];
    // Without names TypeORM loads every table the server shows (other schemas, the catalogs);
    // a module database is its own schema only.
    const rawGetTables = runner.getTables.bind(runner);
    runner.getTables = async (tableNames?: string[]): Promise<Table[]> => {
      if (tableNames !== undefined) return rawGetTables(tableNames);
      const own = (await runner.query(OWN_TABLES)) as { table_name: string }[];
      return rawGetTables(own.map((row) => row.table_name));
    };
    // TypeORM's code releases the runners it asked for; a pinned one is released by its unit's end.
    runner.release = async () => undefined;
  }

  private noteSuccess(kind: StatementKind, sql: string): void {
    if (kind === "begin") {
      this.wrote = false;
      this.openedAt = performance.now();
    } else if (kind === "commit") {
      if (this.wrote) this.options.condition.noteWriteCommitted();
      this.wrote = false;
      this.ended("committed");
    } else if (kind === "rollback") {
      this.ended("rolled_back");
    } else if (WRITE_STATEMENT.test(sql)) {
      if (SCHEMA_STATEMENT.test(sql)) this.changedSchema = true;
      if (this.openedAt === undefined) this.options.condition.noteWriteCommitted();
      else this.wrote = true;
    }
  }

  private noteFailure(kind: StatementKind, error: unknown): void {
    this.options.condition.noteFailure(toPostgresDbError(error, this.options.name));
    if (isConnectionError(error)) this.broken ??= error instanceof Error ? error : new Error(String(error));
    if (kind === "begin") this.options.activity.transaction(0, "failed");
    if (kind === "commit" || kind === "rollback") this.ended("failed");
  }

  private ended(outcome: TransactionOutcome): void {
    if (this.openedAt === undefined) return;
    this.options.activity.transaction((performance.now() - this.openedAt) / 1000, outcome);
    this.openedAt = undefined;
  }

  /**
   * Ends the unit of work: rolls back what it left open (counting the repair), resets TypeORM's
   * bookkeeping, and gives the client back — as broken when its connection failed. Never throws.
   */
  async settle(): Promise<void> {
    const client = clientOf(this.runner);
    const status = client?.getTransactionStatus?.();
    if (this.broken === undefined && client !== undefined && (status === "T" || status === "E")) {
      try {
        await client.query("ROLLBACK");
        this.options.condition.noteReconciled();
        this.ended("rolled_back");
      } catch (error) {
        this.broken = error instanceof Error ? error : new Error(String(error));
      }
    }
    if (this.runner.isTransactionActive || transactionDepth(this.runner) !== 0) markNoTransaction(this.runner);
    this.ended("failed");
    const unusable = this.broken ?? (client === undefined || status === null ? new Error("the connection is gone") : undefined);
    if (unusable === undefined && this.changedSchema) await this.options.onSchemaChange?.(this.runner).catch(() => undefined);
    await releaseRunner(this.runner, unusable).catch(() => undefined);
  }

  /**
   * Gives the client back as broken while its unit still runs (the database is closing and the
   * unit outlived the wait): the pool destroys the connection, so the server rolls back whatever
   * the unit had not committed, and the unit's next statement fails. Settling later is harmless.
   */
  async abandon(): Promise<void> {
    this.broken ??= new Error("the database is closing");
    await releaseRunner(this.runner, this.broken).catch(() => undefined);
  }
}

/** A DataSource's pinned runners are created from TypeORM's own factory, kept here before the guard replaces it. */
export function rawRunnerFactory(dataSource: DataSource): () => QueryRunner {
  const original = dataSource.createQueryRunner.bind(dataSource);
  return () => original("master");
}
