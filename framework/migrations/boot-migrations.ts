import { ResultAsync } from "neverthrow";
import type { ModuleDatabase } from "../database/module-database";
import type { MigrationError } from "./migration-error";
import { ensureMigrationTable, hasMigrationTable, hasUserTables, readAppliedMigrations, recordApplied } from "./migration-table";
import type { LoadedMigration } from "./migration-types";
import { asMigrationError, pendingOf, runPendingMigrations } from "./run-migrations";

/** What boot did about migrations for one database. */
export interface BootMigrationOutcome {
  readonly database: string;
  /** Migrations whose `up` ran at this boot. */
  readonly applied: readonly string[];
  /** Migrations recorded without running because the database was created fresh from the entities. */
  readonly baselined: readonly string[];
  /** Migrations left pending because boot was told not to apply them. */
  readonly pending: readonly string[];
}


/**
 * The migration step of boot, run before the additive schema step.
 *
 * An existing database gets its pending migrations applied in order. A database with no tables
 * yet is about to be created from the entities, which already describe the state every migration
 * leads to; its migrations are recorded as `baseline` instead of run (they were written against
 * older tables that will never exist there). With `apply` false (the CLI), pending migrations of
 * an existing database are only reported, for the caller to refuse the database. With `write`
 * false nothing at all is written: a fresh database is not even baselined.
 */
export function migrateOnBoot(database: ModuleDatabase, migrations: readonly LoadedMigration[], apply = true, write = true): ResultAsync<BootMigrationOutcome, MigrationError> {
  const baseline = async (): Promise<string[] | undefined> =>
    database.gate.run(async () => {
      const runner = database.dataSource.createQueryRunner();
      // A database with a migrations table has a history (every migration reverted, say): its
      // pending migrations are pending, not contained in a schema the entities are about to create.
      if ((await hasUserTables(runner)) || (await hasMigrationTable(runner))) return undefined;
      // A process that must not write leaves a fresh database (and its baseline) to the next boot.
      if (!write) return [];
      await ensureMigrationTable(runner);
      const applied = new Set((await readAppliedMigrations(runner)).map((entry) => entry.name));
      const toRecord = pendingOf(migrations, applied);
      if (toRecord.length === 0) return [];
      await runner.startTransaction();
      try {
        for (const migration of toRecord) await recordApplied(runner, migration.name, migration.description, "baseline");
        await runner.commitTransaction();
      } catch (error) {
        if (runner.isTransactionActive) await runner.rollbackTransaction();
        throw error;
      }
      return toRecord.map((migration) => migration.name);
    });
  return ResultAsync.fromPromise(baseline(), (error) => asMigrationError(error, database.name, "MIGRATION_FAILED")).andThen((baselined) =>
    baselined !== undefined
      ? ResultAsync.fromSafePromise(Promise.resolve({ database: database.name, applied: [], baselined, pending: [] }))
      : apply
        ? runPendingMigrations(database, migrations).map((outcome) => ({ database: database.name, applied: outcome.applied.map((entry) => entry.name), baselined: [], pending: [] }))
        : ResultAsync.fromPromise(database.gate.run(async () => readAppliedMigrations(database.dataSource.createQueryRunner())), (error) => asMigrationError(error, database.name, "MIGRATION_FAILED")).map((applied) => ({
            database: database.name,
            applied: [],
            baselined: [],
            pending: pendingOf(migrations, new Set(applied.map((entry) => entry.name))).map((migration) => migration.name),
          })),
  );
}
