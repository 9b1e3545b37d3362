import { err, ok, type Result } from "neverthrow";
import type { EntityTarget, ObjectLiteral } from "typeorm";
import { dbError, type DbError, type DbErrorCode } from "../errors/db-error";
import type { SchemaChange } from "../schema/schema-change";
import type { ModuleDatabase } from "./module-database";

/** Where a database stands after boot. */
export type DatabaseState = "ready" | "refused" | "failed" | "closed";

/** Why a database is refused, and the code every call on it gets (DATABASE_CORRUPT, DATABASE_EMPTIED, ...). */
export interface DatabaseRefusal {
  readonly code: DbErrorCode;
  /** Names the database and what to do; returned as is, not wrapped in more words. */
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
  /** Schema changes applied at boot. */
  readonly applied: readonly SchemaChange[];
  /** Schema changes that need a migration. */
  readonly refused: readonly SchemaChange[];
  /** Present while the database is open. */
  readonly database?: ModuleDatabase;
  /** Set when the database was refused for a reason with its own code; calls get that code. */
  refusal?: DatabaseRefusal;
}

/**
 * Every database the framework knows, by name. Only `ready` databases are handed out;
 * asking for any other gets a Result error that says why.
 */
export class DatabaseRegistry {
  private readonly entries = new Map<string, DatabaseEntry>();

  /** Adds or replaces the record of a database. A statement that finds its file corrupt refuses it. */
  register(entry: DatabaseEntry): void {
    this.entries.set(entry.name, entry);
    entry.database?.condition.onCorrupt((error) => {
      if (this.entries.get(entry.name) === entry && entry.refusal === undefined) this.refuse(entry.name, { code: "DATABASE_CORRUPT", message: error.message });
    });
  }

  /**
   * Refuses a database from now on: every call gets `refusal.code` and its message; the others
   * keep working. The connection stays as it is (closed at shutdown), so nothing more is written
   * to a file found damaged.
   */
  refuse(name: string, refusal: DatabaseRefusal): void {
    const entry = this.entries.get(name);
    if (entry === undefined) return;
    entry.state = "refused";
    entry.refusal = refusal;
    if (!entry.problems.includes(refusal.message)) entry.problems.push(refusal.message);
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

  /**
   * A usable database: DATABASE_NOT_FOUND for an unknown name; for one that is not ready, the
   * code of its refusal (DATABASE_CORRUPT, DATABASE_EMPTIED, ...) or DATABASE_UNAVAILABLE.
   */
  get(name: string): Result<ModuleDatabase, DbError> {
    const entry = this.entries.get(name);
    if (entry === undefined) {
      return err(dbError("DATABASE_NOT_FOUND", `Database '${name}' not found.`, name, { database_name: name, available_databases: this.readyNames() }));
    }
    if (entry.state !== "ready" || entry.database === undefined) {
      const details = { state: entry.state, problems: entry.problems };
      if (entry.refusal !== undefined) return err(dbError(entry.refusal.code, entry.refusal.message, name, details));
      // Problems already name the database; they are the message, not a tail of it.
      return err(dbError("DATABASE_UNAVAILABLE", entry.problems.join(" ") || `Database '${name}' is ${entry.state}.`, name, details));
    }
    return ok(entry.database);
  }

  /** The database an entity lives in, found from the entity itself. */
  forEntity<T extends ObjectLiteral>(entity: EntityTarget<T>): Result<ModuleDatabase, DbError> {
    for (const entry of this.entries.values()) {
      if (entry.database?.dataSource.hasMetadata(entity) === true) return this.get(entry.name);
    }
    const name = typeof entity === "function" ? entity.name : String(entity);
    return err(dbError("TABLE_NOT_FOUND", `No discovered database declares the entity '${name}'.`, undefined, { entity: name }));
  }

  /** Every open database. */
  open(): ModuleDatabase[] {
    return this.list().flatMap((entry) => (entry.database !== undefined && entry.state === "ready" ? [entry.database] : []));
  }

  /** Closes every open database (checkpointing its WAL); safe to call twice. */
  async closeAll(): Promise<void> {
    for (const entry of this.entries.values()) {
      if (entry.database === undefined) continue;
      await entry.database.close();
      if (entry.state === "ready") entry.state = "closed";
    }
  }
}
