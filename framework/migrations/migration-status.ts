import type { ModuleDatabase } from "../database/module-database";
import type { SchemaChange } from "../schema/schema-change";
import { diffSchema, moduleChanges } from "../schema/schema-diff";
import { readAppliedMigrations } from "./migration-table";
import type { AppliedMigration, LoadedMigration } from "./migration-types";
import { pendingOf } from "./run-migrations";

/** A migration file not yet applied. */
export interface PendingMigration {
  readonly name: string;
  readonly description: string | null;
  readonly file: string;
}

/** Where one database stands: applied and pending migrations, and how its schema differs from its entities. */
export interface MigrationStatus {
  readonly database: string;
  readonly applied: readonly AppliedMigration[];
  readonly pending: readonly PendingMigration[];
  /** Applied migrations whose file no longer exists (they cannot be reverted). */
  readonly missing: readonly string[];
  /** Differences between the modules' entities and the schema on disk (framework-owned tables are the boot's business); empty when they agree. */
  readonly drift: readonly SchemaChange[];
}

/** Reads a database's migration records and diffs its schema; changes nothing. */
export async function readMigrationStatus(database: ModuleDatabase, migrations: readonly LoadedMigration[]): Promise<MigrationStatus> {
  return database.gate.run(async () => {
    const runner = database.dataSource.createQueryRunner();
    const applied = await readAppliedMigrations(runner);
    const known = new Set(migrations.map((migration) => migration.name));
    const pending = pendingOf(migrations, new Set(applied.map((entry) => entry.name))).map(({ name, description, file }) => ({ name, description, file }));
    const drift = moduleChanges(await diffSchema(database.dataSource, runner));
    return { database: database.name, applied, pending, missing: applied.filter((entry) => !known.has(entry.name)).map((entry) => entry.name), drift };
  });
}
