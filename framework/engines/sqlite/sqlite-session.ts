import type Database from "better-sqlite3";
import type { DataSource, EntityManager } from "typeorm";
import type { DbError } from "../../errors/db-error";
import type { DatabaseActivity } from "../../metrics/database-activity";
import type { EngineSession, LiveTable } from "../engine";
import type { ConnectionGate } from "./connection-gate";
import type { SqliteDirect } from "./sqlite-direct";
import { inspectSqlite } from "./inspect-sqlite";
import { readPragmas } from "./pragmas";
import { liveSchemaVersion } from "./schema-fingerprint";
import { toSqliteDbError } from "./sqlite-error";
import { sqliteHandle } from "./typeorm-internals";

/**
 * One open SQLite database: one better-sqlite3 connection behind a gate, shared by every caller
 * of the process (the guard installed on the DataSource keeps transactions whole and retries
 * SQLITE_BUSY where that is safe).
 */
export class SqliteSession implements EngineSession {
  constructor(
    private readonly name: string,
    readonly dataSource: DataSource,
    readonly gate: ConnectionGate,
    private readonly activity: DatabaseActivity,
    /** Prepared statements straight on the connection, for the CrudService's compiled hot paths. */
    readonly direct?: SqliteDirect,
  ) {}

  /** The raw better-sqlite3 connection; for pragmas, backups and checks inside the engine. */
  connection(): Database.Database {
    return sqliteHandle(this.dataSource);
  }

  /** BEGIN IMMEDIATE through the guarded DataSource: other callers wait until it commits or rolls back. */
  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /** A deferred read transaction under the gate with `query_only` on, so writes inside it are refused. */
  read<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.gate.run(async () => {
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
    });
  }

  /** `PRAGMA quick_check`, read straight from the connection: a corrupt page may make it throw rather than report. */
  deepCheck(): Promise<readonly string[]> {
    return this.gate.run(async () => (this.connection().pragma("quick_check", { simple: false }) as { quick_check: string }[]).map((row) => row.quick_check));
  }

  settingsInForce(): Record<string, unknown> {
    return readPragmas(this.connection());
  }

  /** `PRAGMA schema_version`: SQLite bumps it on every schema change by any connection. */
  schemaVersion(): number | undefined {
    return this.dataSource.isInitialized ? liveSchemaVersion(this.connection()) : undefined;
  }

  inspect(): Promise<LiveTable[]> {
    return this.gate.run(async () => inspectSqlite(this.connection()));
  }

  /** A PASSIVE WAL checkpoint under the gate; false when another process' reader or writer kept part of the log. */
  checkpoint(): Promise<boolean> {
    return this.gate.run(async () => {
      const [row] = this.connection().pragma("wal_checkpoint(PASSIVE)") as { busy: number; log: number; checkpointed: number }[];
      return row !== undefined && row.busy === 0 && row.log >= 0 && row.checkpointed === row.log;
    });
  }

  classify(error: unknown, fallback?: DbError["code"]): DbError {
    return toSqliteDbError(error, this.name, fallback);
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
