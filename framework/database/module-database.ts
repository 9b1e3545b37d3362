import type Database from "better-sqlite3";
import { err, ok, ResultAsync, type Result } from "neverthrow";
import type { DataSource, EntityManager, EntityMetadata, ObjectLiteral, Repository, EntityTarget } from "typeorm";
import type { EntityClassOrSchema } from "../discovery/discovered-module";
import { dbError, type DbError } from "../errors/db-error";
import { toDbError } from "../errors/sqlite-error";
import { sqliteHandle } from "../engines/sqlite/typeorm-internals";
import { DatabaseActivity } from "../metrics/database-activity";
import type { ConnectionGate } from "./connection-gate";
import { DatabaseCondition } from "./database-condition";
import type { LockStats } from "./retry-policy";
import { readPragmas } from "./sqlite-pragmas";

/** The result of a health probe of one database. */
export interface DatabaseHealth {
  readonly database: string;
  readonly healthy: boolean;
  /** Milliseconds the probe took. */
  readonly latencyMs: number;
  /** `ok` or the problems `PRAGMA quick_check` found, when a deep check was asked for. */
  readonly quickCheck?: readonly string[];
  readonly error?: string;
}

/**
 * One module database: a SQLite file with its own TypeORM DataSource, a gate that serialises
 * access to its single connection, and counters about lock contention.
 */
export class ModuleDatabase {
  /** What the engine reports about this database's work (statements, transactions, waits), for the metrics. */
  readonly activity: DatabaseActivity;
  /** Lock contention counters (retries made, operations that gave up); every change is also an activity report. */
  readonly stats: LockStats;
  /** Storage faults in progress, repairs of the connection's transaction state, corruption listeners. */
  readonly condition = new DatabaseCondition();

  constructor(
    /** The `DATABASE_NAME` this database was created for. */
    readonly name: string,
    /** Absolute path of the SQLite file. */
    readonly file: string,
    /** The TypeORM DataSource, already guarded for concurrent callers. */
    readonly dataSource: DataSource,
    /** The entities that live here. */
    readonly entities: readonly EntityClassOrSchema[],
    /** The gate every use of the connection passes through. */
    readonly gate: ConnectionGate,
    /** The modules that declared this database. */
    readonly modules: readonly string[],
  ) {
    this.activity = new DatabaseActivity(name);
    this.stats = this.activity.lockStats;
  }

  /**
   * Runs `work` in one write transaction (BEGIN IMMEDIATE). Other callers of this database wait
   * until it commits or rolls back; a failure anywhere rolls back everything `work` did.
   * Because the write lock may be retried, keep `work` free of side effects outside the database.
   */
  transaction<T>(work: (manager: EntityManager) => Promise<T>): ResultAsync<T, DbError> {
    return ResultAsync.fromPromise(this.dataSource.transaction(work), (error) => toDbError(error, this.name, "TRANSACTION_FAILED"));
  }

  /** Runs `work` while holding this database's gate, outside any transaction; for multi-statement reads. */
  exclusive<T>(work: (manager: EntityManager) => Promise<T>): ResultAsync<T, DbError> {
    return ResultAsync.fromPromise(this.gate.run(() => work(this.dataSource.manager)), (error) => toDbError(error, this.name));
  }

  /**
   * Runs read-only `work` on one consistent snapshot of the database: a deferred read transaction
   * under the gate, with writes refused (`query_only`), so several queries (a count and a page, say)
   * agree even while other processes write. For reads only; writes belong in `transaction`.
   */
  snapshot<T>(work: (manager: EntityManager) => Promise<T>): ResultAsync<T, DbError> {
    return ResultAsync.fromPromise(
      this.gate.run(async () => {
        const manager = this.dataSource.manager;
        await manager.query("BEGIN DEFERRED");
        try {
          await manager.query("PRAGMA query_only = ON");
          const result = await work(manager);
          await manager.query("COMMIT");
          return result;
        } catch (error) {
          if (this.connection().inTransaction) await manager.query("ROLLBACK");
          throw error;
        } finally {
          await manager.query("PRAGMA query_only = OFF");
        }
      }),
      (error) => toDbError(error, this.name),
    );
  }

  /** The repository of an entity that lives in this database. */
  repository<T extends ObjectLiteral>(entity: EntityTarget<T>): Repository<T> {
    return this.dataSource.getRepository(entity);
  }

  /** Table names of this database's entities, sorted. */
  tableNames(): string[] {
    return this.tableMetadatas().map((metadata) => metadata.tableName).sort();
  }

  /** Entity metadata of every table (views excluded). */
  tableMetadatas(): EntityMetadata[] {
    return this.dataSource.entityMetadatas.filter((metadata) => metadata.tableType !== "view");
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

  /** The raw better-sqlite3 connection; for pragmas, backups and checks, not for module code. */
  connection(): Database.Database {
    return sqliteHandle(this.dataSource);
  }

  /** Pragma values in force on the connection. */
  pragmas(): Record<string, unknown> {
    return readPragmas(this.connection());
  }

  /** `SELECT 1` through the gate, and `PRAGMA quick_check` when `deep` is set. */
  health(deep = false): Promise<DatabaseHealth> {
    const started = performance.now();
    return this.gate
      .run(async () => {
        await this.dataSource.query("SELECT 1");
        const quickCheck = deep ? (this.connection().pragma("quick_check", { simple: false }) as { quick_check: string }[]).map((row) => row.quick_check) : undefined;
        const healthy = quickCheck === undefined || (quickCheck.length === 1 && quickCheck[0] === "ok");
        if (!healthy) this.condition.noteFailure(dbError("DATABASE_CORRUPT", `Database '${this.name}' is corrupt (PRAGMA quick_check: ${quickCheck?.slice(0, 3).join("; ")}); it is refused until it is restored from a backup.`, this.name));
        const health: DatabaseHealth = { database: this.name, healthy, latencyMs: performance.now() - started };
        return quickCheck === undefined ? health : { ...health, quickCheck };
      })
      .catch((error: unknown) => {
        // quick_check reads the file directly; a corrupt page it trips over refuses the database too.
        const classified = toDbError(error, this.name);
        if (classified.code === "DATABASE_CORRUPT") this.condition.noteFailure(classified);
        return { database: this.name, healthy: false, latencyMs: performance.now() - started, error: error instanceof Error ? error.message : String(error) };
      });
  }

  /**
   * Copies what the WAL holds into the main file without waiting for anybody (SQLite's PASSIVE
   * checkpoint), under the gate so no statement of this process runs meanwhile. True when the
   * whole log was copied; false when another process' reader or writer kept part of it (SQLite
   * copies the rest next time) or the database is not in WAL mode. Every complete checkpoint is
   * reported (the `last checkpoint` figure of the metrics).
   */
  checkpoint(): Promise<boolean> {
    return this.gate.run(async () => {
      const [row] = this.connection().pragma("wal_checkpoint(PASSIVE)") as { busy: number; log: number; checkpointed: number }[];
      const complete = row !== undefined && row.busy === 0 && row.log >= 0 && row.checkpointed === row.log;
      if (complete) this.activity.checkpoint();
      return complete;
    });
  }

  /**
   * Checkpoints the WAL into the main file and closes the connection; later calls are no-ops.
   * A checkpoint the storage refuses (full disk, I/O error, corrupt file) is skipped: committed
   * transactions stay in the WAL, and SQLite replays them the next time the file is opened.
   */
  async close(): Promise<void> {
    if (!this.dataSource.isInitialized) return;
    await this.gate.run(async () => {
      try {
        this.connection().pragma("wal_checkpoint(TRUNCATE)");
        this.activity.checkpoint();
      } catch {
        // Nothing is lost by leaving the WAL in place; closing must still happen.
      } finally {
        await this.dataSource.destroy();
      }
    });
  }
}
