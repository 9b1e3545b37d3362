import type { ResultAsync } from "neverthrow";
import { inject, injectable } from "tsyringe";
import { MIGRATIONS_TABLE } from "../../../framework/migrations/migration-table";
import type { DbError } from "../../../framework/errors/db-error";
import { DocsSql } from "../docs-sql";

/** One applied schema version (seed 004 `schema_versions`). */
export interface SchemaVersionRecord extends Record<string, unknown> {
  readonly version_id: string;
  readonly applied_at: string;
  readonly description: string | null;
  readonly migration_script: string | null;
}

/** The docs database's own record of schema versions, as the seed's versioning strategy keeps it. */
@injectable()
export class SchemaVersionRepository {
  constructor(@inject(DocsSql) private readonly sql: DocsSql) {}

  /** Records a version once; recording it again changes nothing and returns false. */
  record(versionId: string, description: string | null = null, migrationScript: string | null = null): ResultAsync<boolean, DbError> {
    return this.sql
      .execute("INSERT INTO schema_versions (version_id, description, migration_script) VALUES (?, ?, ?) ON CONFLICT(version_id) DO NOTHING", [versionId, description, migrationScript])
      .map((result) => result.changes === 1);
  }

  /**
   * Adds a version for every migration recorded in the database's migrations table but missing
   * here: those a fresh database recorded as baseline without running them (migrations that run
   * record themselves). Returns how many were added.
   */
  syncWithMigrations(): ResultAsync<number, DbError> {
    return this.sql
      .execute(
        `INSERT INTO schema_versions (version_id, description, migration_script, applied_at)
         SELECT name, description, 'recorded as ' || mode, ${this.sql.dialect.toTimestamp("applied_at")} FROM "${MIGRATIONS_TABLE}" WHERE true
         ON CONFLICT(version_id) DO NOTHING`,
      )
      .map((result) => result.changes);
  }

  /** Every recorded version, oldest first. */
  list(): ResultAsync<SchemaVersionRecord[], DbError> {
    return this.sql.fetchAll<SchemaVersionRecord>("SELECT * FROM schema_versions ORDER BY applied_at, version_id");
  }
}
