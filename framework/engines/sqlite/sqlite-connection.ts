import type Database from "better-sqlite3";
import type { ModuleDatabase } from "../../database/module-database";
import { SqliteSession } from "./sqlite-session";

/**
 * The better-sqlite3 connection of a database the SQLite engine opened; for the engine's own
 * checks and backups, and for tests. Throws for a database of another engine.
 */
export function sqliteConnection(database: ModuleDatabase): Database.Database {
  if (!(database.session instanceof SqliteSession)) throw new Error(`Database '${database.name}' is not a SQLite database.`);
  return database.session.connection();
}
