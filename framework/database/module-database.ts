import { err, ok, ResultAsync, type Result } from "neverthrow";
import type { DataSource, EntityManager, EntityMetadata, ObjectLiteral, Repository, EntityTarget } from "typeorm";
import type { EntityClassOrSchema } from "../discovery/discovered-module";
import type { EngineCapabilities, EngineGate, EngineSession, LiveTable } from "../engines/engine";
import { isFrameworkOwnedTable } from "../access/table-access";
import { dbError, type DbError } from "../errors/db-error";
import type { DatabaseCondition } from "./database-condition";
import type { DatabaseObservers } from "./database-observers";
import type { DatabaseActivity } from "../metrics/database-activity";
import type { LockStats } from "./retry-policy";

/** The result of a health probe of one database. */
export interface DatabaseHealth {
  readonly database: string;
  readonly healthy: boolean;
  /** Milliseconds the probe took. */
  readonly latencyMs: number;
  /** `ok` or the problems the engine's deep check (SQLite: `PRAGMA quick_check`) found, when one was asked for. */
  readonly quickCheck?: readonly string[];
  readonly error?: string;
}

/**
 * One module database: its own TypeORM DataSource on the engine its `DATABASE_URL` names, the
 * engine's session that owns the connection(s) and their transaction truth, and counters about
 * lock contention. Callers ask `capabilities` rather than testing which engine it is.
 */
export class ModuleDatabase {
  /** What the engine reports about this database's work (statements, transactions, waits), for the metrics. */
  readonly activity: DatabaseActivity;
  /** Lock contention counters (retries made, operations that gave up); every change is also an activity report. */
  readonly stats: LockStats;
  /** Storage faults in progress, repairs of the connection's transaction state, corruption listeners. */
  readonly condition: DatabaseCondition;
  /** The TypeORM DataSource, already guarded by the engine for concurrent callers. */
  readonly dataSource: DataSource;
  /** The gate exclusive use of the connection passes through. */
  readonly gate: EngineGate;

  constructor(
    /** The `DATABASE_NAME` this database was created for. */
    readonly name: string,
    /** Where it lives, safe to show: the SQLite file's absolute path, or the server and schema (no password). */
    readonly file: string,
    /** The engine's handle on the open database. */
    readonly session: EngineSession,
    /** The entities that live here. */
    readonly entities: readonly EntityClassOrSchema[],
    /** The modules that declared this database. */
    readonly modules: readonly string[],
    observers: DatabaseObservers,
    /** What the engine can and needs (file-based, online backup, write gate). */
    readonly capabilities: EngineCapabilities,
  ) {
    this.activity = observers.activity;
    this.stats = observers.stats;
    this.condition = observers.condition;
    this.dataSource = session.dataSource;
    this.gate = session.gate;
  }

  /**
   * Runs `work` in one write transaction. SQLite: BEGIN IMMEDIATE, other callers of this database
   * wait until it commits or rolls back. A failure anywhere rolls back everything `work` did.
   * Because the engine may retry, keep `work` free of side effects outside the database.
   */
  transaction<T>(work: (manager: EntityManager) => Promise<T>): ResultAsync<T, DbError> {
    return ResultAsync.fromPromise(this.session.transaction(work), (error) => this.classify(error, "TRANSACTION_FAILED"));
  }

  /** Runs `work` while holding this database's gate, outside any transaction; for multi-statement reads. */
  exclusive<T>(work: (manager: EntityManager) => Promise<T>): ResultAsync<T, DbError> {
    return ResultAsync.fromPromise(this.gate.run(() => work(this.dataSource.manager)), (error) => this.classify(error));
  }

  /**
   * Runs read-only `work` on one consistent snapshot of the database, with writes refused, so
   * several queries (a count and a page, say) agree even while other processes write. For reads
   * only; writes belong in `transaction`.
   */
  snapshot<T>(work: (manager: EntityManager) => Promise<T>): ResultAsync<T, DbError> {
    return ResultAsync.fromPromise(this.session.read(work), (error) => this.classify(error));
  }

  /** Translates anything thrown while working on this database into a DbError, the engine's way. */
  classify(error: unknown, fallback: DbError["code"] = "QUERY_FAILED"): DbError {
    return this.session.classify(error, fallback);
  }

  /** Tables, columns and indexes as the live database has them (not as the entities declare them). */
  inspect(): ResultAsync<LiveTable[], DbError> {
    return ResultAsync.fromPromise(this.session.inspect(), (error) => this.classify(error));
  }

  /** The repository of an entity that lives in this database. */
  repository<T extends ObjectLiteral>(entity: EntityTarget<T>): Repository<T> {
    return this.dataSource.getRepository(entity);
  }

  /** Table names of this database's entities, sorted. */
  tableNames(): string[] {
    return this.tableMetadatas().map((metadata) => metadata.tableName).sort();
  }

  /**
   * Entity metadata of every table of the modules (views and the framework-owned tables every
   * database also holds, such as `moduledb_audit`, excluded: those belong to the framework, which
   * reads and writes them itself).
   */
  tableMetadatas(): EntityMetadata[] {
    return this.dataSource.entityMetadatas.filter((metadata) => metadata.tableType !== "view" && !isFrameworkOwnedTable(metadata.tableName));
  }

  /** The metadata of one table, or TABLE_NOT_FOUND naming the tables that exist. */
  table(tableName: string): Result<EntityMetadata, DbError> {
    const metadata = this.tableMetadatas().find((candidate) => candidate.tableName === tableName);
    if (metadata !== undefined) return ok(metadata);
    return err(
      dbError("TABLE_NOT_FOUND", `Table '${tableName}' not found in database '${this.name}'.`, this.name, {
        table_name: tableName,
        available_tables: this.tableNames(),
      }),
    );
  }

  /** Connection settings in force (SQLite: the pragma values). */
  pragmas(): Record<string, unknown> {
    return this.session.settingsInForce();
  }

  /** `SELECT 1` through the gate, and the engine's deep check (SQLite: `PRAGMA quick_check`) when `deep` is set. */
  health(deep = false): Promise<DatabaseHealth> {
    const started = performance.now();
    return this.gate
      .run(async () => {
        await this.dataSource.query("SELECT 1");
        const quickCheck = deep ? await this.session.deepCheck() : undefined;
        const healthy = quickCheck === undefined || (quickCheck.length === 1 && quickCheck[0] === "ok");
        if (!healthy) this.condition.noteFailure(dbError("DATABASE_CORRUPT", `Database '${this.name}' is corrupt (deep check: ${quickCheck?.slice(0, 3).join("; ")}); it is refused until it is restored from a backup.`, this.name));
        const health: DatabaseHealth = { database: this.name, healthy, latencyMs: performance.now() - started };
        return quickCheck === undefined ? health : { ...health, quickCheck };
      })
      .catch((error: unknown) => {
        // The deep check reads the storage directly; corruption it trips over refuses the database too.
        const classified = this.classify(error);
        if (classified.code === "DATABASE_CORRUPT") this.condition.noteFailure(classified);
        return { database: this.name, healthy: false, latencyMs: performance.now() - started, error: error instanceof Error ? error.message : String(error) };
      });
  }

  /**
   * Makes the engine fold its write-ahead log into the main storage without waiting for anybody
   * (SQLite: a PASSIVE checkpoint). True when all of it was folded; every complete one is reported
   * to the metrics.
   */
  async checkpoint(): Promise<boolean> {
    const complete = await this.session.checkpoint();
    if (complete) this.activity.checkpoint();
    return complete;
  }

  /** Closes the connection(s), the engine making what was committed durable first; later calls are no-ops. */
  close(): Promise<void> {
    return this.session.close();
  }
}
