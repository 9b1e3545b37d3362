import type { QueryRunner } from "typeorm";
import { dialectOf } from "../../../framework/engines/sql-dialect";

/**
 * Seed 004's `schema_versions` tells which schema versions the docs database has. Every docs
 * migration records itself with these, inside its own transaction: `up` ends with
 * {@link recordSchemaVersion}, `down` starts with {@link forgetSchemaVersion}. Migrations recorded
 * without running (a fresh database created from the entities) are filled in by
 * `SchemaVersionRepository.syncWithMigrations` when the module starts.
 */
export async function recordSchemaVersion(runner: QueryRunner, versionId: string, description: string | null, script: string): Promise<void> {
  // Written once with `?`; the engine's dialect turns the placeholders into its own.
  await runner.query(dialectOf(runner.connection).positional("INSERT INTO schema_versions (version_id, description, migration_script) VALUES (?, ?, ?) ON CONFLICT(version_id) DO NOTHING"), [versionId, description, script]);
}

/** Removes a migration's version when its `down` runs. */
export async function forgetSchemaVersion(runner: QueryRunner, versionId: string): Promise<void> {
  await runner.query(dialectOf(runner.connection).positional("DELETE FROM schema_versions WHERE version_id = ?"), [versionId]);
}
