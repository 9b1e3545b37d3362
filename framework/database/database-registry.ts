import { err, ok, okAsync, ResultAsync, type Result } from "neverthrow";
import type { EntityTarget, ObjectLiteral } from "typeorm";
import { dbError, type DbError, type DbErrorCode } from "../errors/db-error";
import type { SchemaChange } from "../schema/schema-change";
import { stretchNumber } from "../runtime/event-loop-turn";
import type { ModuleDatabase } from "./module-database";

/** Where a database stands. */
export type DatabaseState = "ready" | "refused" | "failed" | "closed";

/** Why a database is not served: the code its callers get, and a message that names the database once. */
export interface DatabaseRefusal {
  readonly code: DbErrorCode;
  readonly message: string;
}

/** The registry's record of one database, usable or not. */
export interface DatabaseEntry {
  readonly name: string;
  readonly file: string;
  readonly modules: readonly string[];
  state: DatabaseState;
  /** Why the database is not ready: refused schema changes or the error that stopped it opening. */
  readonly problems: string[];
  /** Schema changes applied automatically when it was (last) made ready. */
  readonly applied: readonly SchemaChange[];
  /** Schema changes that need a migration. */
  readonly refused: readonly SchemaChange[];
  /** Present while the database is open (a database refused at run time may stay open). */
  readonly database?: ModuleDatabase;
  /** The code and message callers get while the database is not ready (derived from `problems` when absent). */
  refusal?: DatabaseRefusal;
}

/** Re-evaluates one database (see {@link DatabaseRegistry.reload}); set by boot. */
export type DatabaseReloader = (entry: DatabaseEntry) => Promise<DatabaseEntry>;

/**
 * Every database the framework knows, by name. Only `ready` databases are handed out; asking for
 * any other gets a Result error with the refusal's own code and message.
 *
 * The registry also notices schema changes made under it: before handing out a ready database it
 * compares the connection's `PRAGMA schema_version` with the one it last checked, and when another
 * process changed the schema it answers DATABASE_UNAVAILABLE ("being re-checked") and re-evaluates
 * the database instead of letting callers run into raw SQL errors. The version is read once per
 * stretch of synchronous work (see `runtime/event-loop-turn`): every request, arriving on a turn of
 * the event loop of its own, sees a fresh reading, while a loop of calls inside one stretch does
 * not pay for a statement per call (reading it costs as much as a third of a primary-key lookup).
 */
export class DatabaseRegistry {
  private readonly entries = new Map<string, DatabaseEntry>();
  /** Schema version (open databases) or file fingerprint (others) at the last evaluation. */
  private readonly fingerprints = new Map<string, string>();
  private readonly reloading = new Map<string, Promise<DatabaseEntry>>();
  /** The stretch (see {@link stretchNumber}) in which each database's schema version was last found unchanged. */
  private readonly checkedInStretch = new Map<string, number>();
  /** Databases whose schema moved under them; served again once re-checked. */
  private readonly stale = new Set<string>();
  /** Databases being changed by this process (a migration run), with the message callers get meanwhile. */
  private readonly suspended = new Map<string, string>();
  private reloader: DatabaseReloader | undefined;

  constructor(
    /** The schema fingerprint of a database this process does not have open, from its engine ("unknown" when it cannot tell). */
    private readonly storedFingerprint: (name: string) => string = () => "unknown",
  ) {}
  private readonly watchedForCorruption = new WeakSet<ModuleDatabase>();
  private readonly databaseListeners: ((database: ModuleDatabase) => void)[] = [];
  private readonly announced = new WeakSet<ModuleDatabase>();

  /** Adds or replaces the record of a database, and remembers the schema it was evaluated against. */
  register(entry: DatabaseEntry): void {
    this.entries.set(entry.name, entry);
    this.fingerprints.set(entry.name, this.fingerprintOf(entry));
    this.checkedInStretch.delete(entry.name);
    this.refuseWhenCorrupt(entry.name, entry.database);
    this.announce(entry.database);
  }

  /**
   * Calls `listener` with every open database registered so far and with each one registered
   * later (a reload's new connection included), once per connection: how observers such as the
   * metrics follow databases across reloads.
   */
  onDatabase(listener: (database: ModuleDatabase) => void): void {
    this.databaseListeners.push(listener);
    for (const entry of this.entries.values()) if (entry.database !== undefined) listener(entry.database);
  }

  private announce(database: ModuleDatabase | undefined): void {
    if (database === undefined || this.announced.has(database)) return;
    this.announced.add(database);
    for (const listener of this.databaseListeners) listener(database);
  }

  /** A statement that finds the file corrupt refuses the database on the spot (once per connection, whatever reloads do). */
  private refuseWhenCorrupt(name: string, database: ModuleDatabase | undefined): void {
    if (database === undefined || this.watchedForCorruption.has(database)) return;
    this.watchedForCorruption.add(database);
    database.condition.onCorrupt((error) => {
      const current = this.entries.get(name);
      if (current?.database === database && current.refusal?.code !== "DATABASE_CORRUPT") this.refuse(name, { code: "DATABASE_CORRUPT", message: error.message });
    });
  }

  /** Names of every known database, sorted, whatever their state. */
  names(): string[] {
    return [...this.entries.keys()].sort();
  }

  /** Names of the databases that are open and usable. */
  readyNames(): string[] {
    return this.names().filter((name) => this.entries.get(name)?.state === "ready");
  }

  /** The record of every known database, sorted by name. */
  list(): DatabaseEntry[] {
    return this.names().map((name) => this.entries.get(name) as DatabaseEntry);
  }

  /** The record of one database, whatever its state. */
  entry(name: string): DatabaseEntry | undefined {
    return this.entries.get(name);
  }

  /** The code and message callers of a database that is not ready get. */
  refusalOf(entry: DatabaseEntry): DatabaseRefusal {
    if (entry.refusal !== undefined) return entry.refusal;
    const message = entry.problems.join(" ") || `Database '${entry.name}' is ${entry.state}.`;
    return { code: "DATABASE_UNAVAILABLE", message };
  }

  /** A usable database: DATABASE_NOT_FOUND for an unknown name, the refusal's own code for one that is not ready. */
  get(name: string): Result<ModuleDatabase, DbError> {
    const entry = this.entries.get(name);
    if (entry === undefined) {
      return err(dbError("DATABASE_NOT_FOUND", `Database '${name}' not found.`, name, { database_name: name, available_databases: this.readyNames() }));
    }
    const suspension = this.suspended.get(name);
    if (suspension !== undefined) return err(dbError("DATABASE_UNAVAILABLE", suspension, name, { state: "changing", problems: [] }));
    if (entry.state === "ready" && entry.database !== undefined) {
      if (!this.stale.has(name) && !this.schemaMovedSinceStretch(name, entry)) return ok(entry.database);
      return err(this.markStale(name));
    }
    const refusal = this.refusalOf(entry);
    return err(dbError(refusal.code, refusal.message, name, { state: entry.state, problems: entry.problems }));
  }

  /**
   * After a statement on `name` failed: DATABASE_UNAVAILABLE ("being re-checked") when the schema
   * moved under it since it was evaluated — the failure was the schema change, not the caller's
   * doing — and undefined when the schema is as it was. Reads the version afresh.
   */
  schemaChangeBehind(name: string): DbError | undefined {
    const entry = this.entries.get(name);
    if (entry === undefined || entry.database === undefined) return undefined;
    this.checkedInStretch.delete(name);
    return this.schemaMoved(entry) ? this.markStale(name) : undefined;
  }

  /** The database an entity lives in, found from the entity itself. */
  forEntity<T extends ObjectLiteral>(entity: EntityTarget<T>): Result<ModuleDatabase, DbError> {
    for (const entry of this.entries.values()) {
      if (entry.database?.dataSource.hasMetadata(entity) === true) return this.get(entry.name);
    }
    const name = typeof entity === "function" ? entity.name : String(entity);
    return err(dbError("TABLE_NOT_FOUND", `No discovered database declares the entity '${name}'.`, undefined, { entity: name }));
  }

  /** Every open, ready database. */
  open(): ModuleDatabase[] {
    return this.list().flatMap((entry) => (entry.database !== undefined && entry.state === "ready" ? [entry.database] : []));
  }

  /**
   * Stops serving a database at run time: callers get `refusal.code` and `refusal.message` until a
   * reload finds it sound again. Its connection stays open (services hold its repositories).
   */
  refuse(name: string, refusal: DatabaseRefusal): void {
    const entry = this.entries.get(name);
    if (entry === undefined) return;
    entry.state = "refused";
    entry.refusal = refusal;
    if (!entry.problems.includes(refusal.message)) entry.problems.push(refusal.message);
  }

  /**
   * Stops handing out a database while this process changes its schema: callers get
   * DATABASE_UNAVAILABLE with `message` until the returned function is called. Work that already
   * has the database queues on its gate ahead of the change, so it runs against the old schema
   * and nothing runs against a schema it was not checked for.
   */
  suspend(name: string, message: string): () => void {
    this.suspended.set(name, message);
    return () => {
      if (this.suspended.get(name) === message) this.suspended.delete(name);
    };
  }

  /** Sets how {@link reload} re-evaluates a database (boot does this). */
  setReloader(reloader: DatabaseReloader): void {
    this.reloader = reloader;
  }

  /**
   * Re-evaluates a database against its entities and migrations and records the outcome: a
   * refused database whose schema now agrees becomes ready, a ready one whose schema no longer
   * does becomes refused (with the reason). Concurrent calls share one evaluation.
   */
  reload(name: string): ResultAsync<DatabaseEntry, DbError> {
    const entry = this.entries.get(name);
    if (entry === undefined) {
      return ResultAsync.fromSafePromise(Promise.resolve()).andThen(() => err(dbError("DATABASE_NOT_FOUND", `Database '${name}' not found.`, name, { database_name: name, available_databases: this.names() })));
    }
    const reloader = this.reloader;
    if (reloader === undefined) return okAsync(entry);
    let running = this.reloading.get(name);
    if (running === undefined) {
      running = reloader(entry)
        .then((next) => {
          this.register(next);
          return next;
        })
        .finally(() => {
          this.reloading.delete(name);
          this.stale.delete(name);
        });
      this.reloading.set(name, running);
    }
    return ResultAsync.fromPromise(running, (error) => dbError("DATABASE_UNAVAILABLE", `Database '${name}' could not be re-checked: ${error instanceof Error ? error.message : String(error)}`, name));
  }

  /**
   * Looks for schema changes made by other processes since each database was last evaluated and
   * re-evaluates those databases; `skip` names databases to leave alone. Returns the names reloaded.
   */
  async watch(skip: ReadonlySet<string> = new Set()): Promise<string[]> {
    const reloaded: string[] = [];
    for (const entry of this.list()) {
      // A database this process is migrating changes under its own eyes; it is re-checked when the migration ends.
      if (skip.has(entry.name) || this.reloading.has(entry.name) || this.suspended.has(entry.name)) continue;
      if (this.fingerprintOf(entry) === this.fingerprints.get(entry.name)) continue;
      if (entry.state === "ready") this.stale.add(entry.name);
      await this.reload(entry.name);
      reloaded.push(entry.name);
    }
    return reloaded;
  }

  /** Closes every open database (checkpointing its WAL); safe to call twice. */
  async closeAll(): Promise<void> {
    await Promise.allSettled([...this.reloading.values()]);
    for (const entry of this.entries.values()) {
      if (entry.database === undefined) continue;
      await entry.database.close();
      if (entry.state === "ready") entry.state = "closed";
    }
  }

  private fingerprintOf(entry: DatabaseEntry): string {
    if (entry.database !== undefined) {
      const version = entry.database.session.schemaVersion();
      if (version !== undefined) return `open:${version}`;
    }
    return this.storedFingerprint(entry.name);
  }

  private schemaMovedSinceStretch(name: string, entry: DatabaseEntry): boolean {
    const stretch = stretchNumber();
    if (this.checkedInStretch.get(name) === stretch) return false;
    if (this.schemaMoved(entry)) return true;
    this.checkedInStretch.set(name, stretch);
    return false;
  }

  private markStale(name: string): DbError {
    this.checkedInStretch.delete(name);
    this.stale.add(name);
    void this.reload(name);
    return dbError("DATABASE_UNAVAILABLE", `Database '${name}' is being re-checked: its schema was changed by another process. Retry in a moment.`, name, { state: "reloading", problems: [] });
  }

  private schemaMoved(entry: DatabaseEntry): boolean {
    const recorded = this.fingerprints.get(entry.name);
    if (recorded === undefined || entry.database === undefined) return false;
    const version = entry.database.session.schemaVersion();
    return version !== undefined && recorded !== `open:${version}`;
  }
}
