import type Database from "better-sqlite3";
import type { DataSource, EntityManager } from "typeorm";
import type { DbError } from "../../errors/db-error";
import type { DatabaseActivity } from "../../metrics/database-activity";
import type { EngineSession, LiveTable } from "../engine";
import type { ConnectionGate } from "./connection-gate";
import type { SqliteDirect } from "./sqlite-direct";
import { inspectSqlite } from "./inspect-sqlite";
import type { SqliteReadConnection } from "./read-connection";
import { readPragmas } from "./pragmas";
import { liveSchemaVersion } from "./schema-fingerprint";
import { toSqliteDbError } from "./sqlite-error";
import { sqliteHandle } from "./typeorm-internals";

/** Statements a read connection may serve: queries, never PRAGMAs (they would set the reader's connection, not the database's). */
const QUERY_TEXT = /^\s*(SELECT|WITH|VALUES)\b/i;

/** How many statement texts {@link SqliteSession.readsOnly} remembers its answer for. */
const READ_ONLY_MEMORY = 256;

/**
 * One open SQLite database: one better-sqlite3 connection behind a gate, shared by every caller
 * of the process for writes (the guard installed on the DataSource keeps transactions whole and
 * retries SQLITE_BUSY where that is safe), and, in WAL mode, a read-only second connection that
 * serves reads outside transactions without waiting for writers.
 */
export class SqliteSession implements EngineSession {
  private readonly readOnlyAnswers = new Map<string, boolean>();

  constructor(
    private readonly name: string,
    readonly dataSource: DataSource,
    readonly gate: ConnectionGate,
    private readonly activity: DatabaseActivity,
    /** Prepared statements straight on the connection, for the CrudService's compiled hot paths. */
    readonly direct?: SqliteDirect,
    /** The read connection (WAL mode only); undefined: reads share the writer's connection and gate. */
    readonly reader?: SqliteReadConnection,
  ) {}

  /** The raw better-sqlite3 connection; for pragmas, backups and checks inside the engine. */
  connection(): Database.Database {
    return sqliteHandle(this.dataSource);
  }

  /** BEGIN IMMEDIATE through the guarded DataSource: other callers wait until it commits or rolls back. */
  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /**
   * Read-only `work` on one snapshot. Outside a unit of work on the writer, and with a read
   * connection open, it runs there: other writers never hold it up. Inside a write transaction it
   * runs in that transaction (so it sees the transaction's own writes), with writes refused;
   * otherwise a deferred read transaction under the gate with `query_only` on.
   */
  read<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (!this.gate.isHeld() && this.reader !== undefined) return this.reader.read(work);
    if (this.gate.isHeld() && this.connection().inTransaction) return this.readInTransaction(work);
    return this.readOnWriter(work);
  }

  /**
   * True when `sql` is a query that cannot write (better-sqlite3's `Statement.readonly`) and a
   * read connection is open to serve it; answers are remembered per statement text. SQL that does
   * not compile is left to the writer, which reports the error as it always has.
   */
  readsOnly(sql: string): boolean {
    if (this.reader === undefined || !QUERY_TEXT.test(sql)) return false;
    let answer = this.readOnlyAnswers.get(sql);
    if (answer === undefined) {
      try {
        answer = this.reader.connection().prepare(sql).readonly;
      } catch {
        answer = false;
      }
      if (this.readOnlyAnswers.size >= READ_ONLY_MEMORY) this.readOnlyAnswers.clear();
      this.readOnlyAnswers.set(sql, answer);
    }
    return answer;
  }

  /** Inside the caller's own write transaction: its writes are visible, new ones refused while `work` runs. */
  private async readInTransaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const manager = this.dataSource.manager;
    await manager.query("PRAGMA query_only = ON");
    try {
      return await work(manager);
    } finally {
      await manager.query("PRAGMA query_only = OFF");
    }
  }

  private readOnWriter<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
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
    // The reader first: an idle read connection does not hold the log back, but a closed one cannot.
    await this.reader?.close().catch(() => undefined);
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
