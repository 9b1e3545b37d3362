import type { DataSource, EntityManager, QueryRunner, TableColumn } from "typeorm";
import type { DbError } from "../../errors/db-error";
import type { EngineSession, LiveTable } from "../engine";
import { readEveryTable } from "./check-postgres";
import { unitOfWork, type PostgresGuardOptions } from "./guard-postgres";
import { inspectPostgres, schemaShape, type CatalogReader } from "./inspect-postgres";
import { toPostgresDbError } from "./postgres-error";
import { clientOf } from "./typeorm-internals";
import type { PostgresGate } from "./postgres-gate";

/** How often, at most, the cached schema shape is read again (see {@link PostgresSession.schemaVersion}). */
const SHAPE_REFRESH_MS = 500;

/** The session settings shown on status pages (no password, ever). */
export type PostgresSettingsInForce = Record<string, unknown>;

/**
 * One open PostgreSQL database (one schema): a pool of connections, each unit of work pinned to
 * one of them. Write transactions run SERIALIZABLE — the same guarantee SQLite's single writer
 * gives: a read-modify-write never loses another's update — and are run again whole after a
 * serialization failure or deadlock, so keep their work free of side effects outside the database.
 */
export class PostgresSession implements EngineSession {
  private shape: number | undefined;
  private shapeReadAt = 0;
  private shapeGeneration = 0;
  private refreshing: Promise<void> | undefined;
  private closed = false;

  constructor(
    private readonly name: string,
    readonly dataSource: DataSource,
    readonly gate: PostgresGate,
    private readonly guard: PostgresGuardOptions,
    private readonly shown: PostgresSettingsInForce,
    /** How long closing waits for running units of work (the statement timeout and a little). */
    private readonly drainTimeoutMs = 10_000,
  ) {}

  private pinned(): CatalogReader {
    const runner = this.gate.current();
    if (runner === undefined) throw new Error(`Database '${this.name}': no connection is pinned to this unit of work.`);
    return runner;
  }

  /** A SERIALIZABLE transaction on a connection of its own; retried whole on 40001/40P01 (a savepoint inside an enclosing one). */
  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.manager.transaction("SERIALIZABLE", work);
  }

  /** A `REPEATABLE READ READ ONLY` transaction: one snapshot for every query of `work`, writes refused by the server. */
  read<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return unitOfWork(this.guard, async () => {
      const runner = this.pinned() as QueryRunner;
      await runner.query("START TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY");
      try {
        const result = await work(this.dataSource.manager);
        await runner.query("COMMIT");
        return result;
      } catch (error) {
        // The gate rolls back whatever is left open when the unit ends; this only ends it sooner.
        await runner.query("ROLLBACK").catch(() => undefined);
        throw error;
      }
    });
  }

  /** Every table read through once; a storage failure the server reports becomes a line (see `readEveryTable`). */
  deepCheck(): Promise<readonly string[]> {
    return this.gate.run(() => readEveryTable(this.pinned()));
  }

  settingsInForce(): Record<string, unknown> {
    return { ...this.shown };
  }

  /**
   * The schema's shape as a number (a hash of its catalog; PostgreSQL keeps no change counter).
   * Answered from a cache so the registry can ask before every use; a read older than half a second
   * is refreshed in the background, and this process's own schema work refreshes it before it ends
   * (see {@link refreshSchemaVersion}), so only other processes' changes show up late.
   */
  schemaVersion(): number | undefined {
    if (!this.closed && this.dataSource.isInitialized && this.refreshing === undefined && performance.now() - this.shapeReadAt > SHAPE_REFRESH_MS) {
      this.refreshing = this.refreshSchemaVersion().finally(() => {
        this.refreshing = undefined;
      });
    }
    return this.shape;
  }

  /**
   * Reads the schema's shape now, on `runner`'s client (a unit that changed the schema) or a client
   * of its own; never throws. It goes to the pg client directly: the framework's own bookkeeping
   * is not a statement of the database's users, so the metrics and the slow-statement log never see it.
   */
  async refreshSchemaVersion(runner?: QueryRunner): Promise<void> {
    const generation = ++this.shapeGeneration;
    const direct = (on: QueryRunner): CatalogReader => ({ query: async (sql) => (await clientOf(on)?.query(sql))?.rows ?? [] });
    try {
      const shape = runner === undefined ? await this.gate.run(() => schemaShape(direct(this.pinned() as QueryRunner))) : await schemaShape(direct(runner));
      // A newer read started meanwhile (after a schema change of this process): its answer wins.
      if (generation !== this.shapeGeneration) return;
      this.shape = shape;
      this.shapeReadAt = performance.now();
    } catch {
      // Unreachable server: keep the last known shape; the next use reports the outage itself.
      this.shapeReadAt = performance.now();
    }
  }

  inspect(): Promise<LiveTable[]> {
    return this.gate.run(() => inspectPostgres(this.pinned()));
  }

  /** Takes the schema lock of this database inside the runner's open transaction: held until it commits or rolls back, across every process. */
  async lockSchema(runner: QueryRunner): Promise<void> {
    await runner.query(`SELECT pg_advisory_xact_lock(hashtext('moduledb:schema:' || current_schema()))`);
  }

  /** `ALTER TABLE … ADD COLUMN` as TypeORM's postgres runner writes it (in place: PostgreSQL never rebuilds the table for it). */
  async addColumn(runner: QueryRunner, table: string, column: TableColumn): Promise<void> {
    await runner.addColumn(table, column);
  }

  /** The server checkpoints on its own schedule; there is no log of the framework's to fold, so none was taken. */
  async checkpoint(): Promise<boolean> {
    return false;
  }

  classify(error: unknown, fallback?: DbError["code"]): DbError {
    return toPostgresDbError(error, this.name, fallback);
  }

  /** Closes the pool (committed work is durable on the server already); later calls are no-ops. */
  async close(): Promise<void> {
    this.closed = true;
    if (!this.dataSource.isInitialized) return;
    await this.refreshing;
    // Units still running (a request whose client hung up, a scheduled job) end first, or lose
    // their client: TypeORM's pool close would otherwise spin on a pinned runner it cannot release.
    await this.gate.drain(this.drainTimeoutMs);
    await this.dataSource.destroy();
  }
}
