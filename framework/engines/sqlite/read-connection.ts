import type Database from "better-sqlite3";
import { DataSource, type EntityManager, type QueryRunner } from "typeorm";
import type { SqliteSettings } from "../../config/settings";
import type { DatabaseObservers } from "../../database/database-observers";
import { retryOnLocked, type RetryPolicy } from "../../database/retry-policy";
import type { EntityClassOrSchema } from "../../discovery/discovered-module";
import { ConnectionGate, sliceLeft } from "./connection-gate";
import { isLockedError, sqliteCodeOf, toSqliteDbError } from "./sqlite-error";
import { sqliteHandle } from "./typeorm-internals";

type QueryFunction = QueryRunner["query"];

/** What opening a read connection needs to know. */
export interface ReadConnectionOptions {
  readonly name: string;
  readonly file: string;
  readonly entities: readonly EntityClassOrSchema[];
  readonly sqlite: SqliteSettings;
  readonly retry: RetryPolicy;
  readonly observers: DatabaseObservers;
}

/**
 * The pragmas of the read connection. `journal_mode` is the file's (WAL, set by the writer) and
 * cannot be set on a read-only handle; `query_only` makes a write refused even if SQLite ever
 * let a read-only handle write.
 */
function prepareReader(connection: Database.Database, settings: SqliteSettings): void {
  connection.pragma(`busy_timeout = ${settings.busyTimeoutMs}`);
  connection.pragma(`cache_size = ${settings.cacheSize}`);
  connection.pragma("temp_store = MEMORY");
  connection.pragma("query_only = ON");
}

/**
 * A second, read-only connection to a WAL database, so reads outside a write transaction never
 * queue behind writers: not behind this process' write gate (a long transaction, a writer waiting
 * out another process' lock) and not behind another process' write lock, since in WAL mode a
 * reader works on the last committed state while a writer appends to the log.
 *
 * It is a TypeORM DataSource of its own over the same entities, so work handed its manager keeps
 * every TypeORM facility (metadata, repositories, query builders) while its statements go to
 * this connection. Its own gate serialises readers among themselves (better-sqlite3 runs one
 * statement at a time anyway, and a read transaction spans awaits); each unit of work is one
 * read transaction, so every statement in it sees the same committed snapshot, and the next unit
 * sees everything committed before it began.
 */
export class SqliteReadConnection {
  private constructor(
    private readonly options: ReadConnectionOptions,
    /** The read-only DataSource: same entities as the writer's, statements on this connection. */
    readonly dataSource: DataSource,
    private readonly gate: ConnectionGate,
  ) {}

  /** Opens the read connection of a file the writer has already opened (and turned to WAL). */
  static async open(options: ReadConnectionOptions): Promise<SqliteReadConnection> {
    const dataSource = new DataSource({
      type: "better-sqlite3",
      database: options.file,
      entities: [...options.entities],
      readonly: true,
      fileMustExist: true,
      synchronize: false,
      migrationsRun: false,
      logging: false,
      timeout: options.sqlite.busyTimeoutMs,
      prepareDatabase: (connection: Database.Database) => prepareReader(connection, options.sqlite),
    });
    await dataSource.initialize();
    const gate = new ConnectionGate(options.name);
    const reader = new SqliteReadConnection(options, dataSource, gate);
    reader.watchStatements();
    // A unit of work that failed halfway must not leave its snapshot open for the next reader.
    gate.beforeRelease(() => {
      const connection = reader.connection();
      if (connection.open && connection.inTransaction) connection.exec("ROLLBACK");
    });
    return reader;
  }

  /** The raw better-sqlite3 handle (read-only). */
  connection(): Database.Database {
    return sqliteHandle(this.dataSource);
  }

  /**
   * Runs read-only `work` in one read transaction on this connection: BEGIN (deferred; the
   * snapshot is taken at its first read) … COMMIT. A lock error (SQLite reports one to a WAL
   * reader only in rare moments such as log recovery) retries the whole unit, which is safe
   * because it wrote nothing.
   */
  read<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const { retry, observers } = this.options;
    // A read nested in a read joins its snapshot.
    if (this.gate.isHeld() && this.connection().inTransaction) return work(this.dataSource.manager);
    return this.gate.run(() =>
      retryOnLocked(
        async () => {
          const connection = this.connection();
          connection.exec("BEGIN");
          try {
            const result = await work(this.dataSource.manager);
            connection.exec("COMMIT");
            return result;
          } catch (error) {
            if (connection.inTransaction) connection.exec("ROLLBACK");
            throw error;
          }
        },
        isLockedError,
        retry,
        observers.stats,
      ),
    );
  }

  /**
   * Runs synchronous `work` on this connection: at once when no other reader holds it (the result
   * comes back synchronously), after the readers ahead otherwise. A lock error retries the whole
   * unit (it wrote nothing). Whatever `work` leaves open is rolled back before anyone else reads.
   */
  runNow<T>(work: (connection: Database.Database) => T): T | Promise<T> {
    const connection = this.connection();
    if (this.gate.isHeld()) return work(connection);
    if (this.gate.isFree() && sliceLeft()) {
      try {
        return work(connection);
      } catch (error) {
        if (!isLockedError(error)) throw error;
      } finally {
        if (connection.open && connection.inTransaction) connection.exec("ROLLBACK");
      }
    }
    const { retry, observers } = this.options;
    return this.gate.run(() => retryOnLocked(async () => work(this.connection()), isLockedError, retry, observers.stats));
  }

  /** Closes the connection; later calls are no-ops. Readers in progress finish first. */
  async close(): Promise<void> {
    if (!this.dataSource.isInitialized) return;
    await this.gate.run(() => this.dataSource.destroy());
  }

  /**
   * Every statement of the read connection is reported like the writer's (metrics, slow-statement
   * log), a storage fault or corruption it meets is reported to the database's condition, and a
   * statement made outside {@link read} still takes this connection's gate.
   */
  private watchStatements(): void {
    const runner = this.dataSource.createQueryRunner();
    const raw = runner.query.bind(runner) as (sql: string, parameters?: unknown[], structured?: boolean) => Promise<unknown>;
    const { name, observers } = this.options;
    const timed = async (sql: string, parameters?: unknown[], structured?: boolean): Promise<unknown> => {
      const started = performance.now();
      try {
        const result = await raw(sql, parameters, structured);
        observers.activity.statement(sql, (performance.now() - started) / 1000, "ok");
        return result;
      } catch (error) {
        observers.activity.statement(sql, (performance.now() - started) / 1000, "error");
        // A write refused here is this connection being read-only, not the storage failing.
        if (!(sqliteCodeOf(error) ?? "").startsWith("SQLITE_READONLY")) observers.condition.noteFailure(toSqliteDbError(error, name));
        throw error;
      }
    };
    runner.query = ((sql: string, parameters?: unknown[], structured?: boolean) =>
      this.gate.isHeld() ? timed(sql, parameters, structured) : this.gate.run(() => timed(sql, parameters, structured))) as QueryFunction;
  }
}
