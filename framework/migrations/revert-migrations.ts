import { ResultAsync } from "neverthrow";
import type { ModuleDatabase } from "../database/module-database";
import { errorMessage, migrationError, type MigrationError } from "./migration-error";
import { readAppliedMigrations, removeApplied } from "./migration-table";
import { failedStatement, inMigrationTransaction, type StatementTrace } from "./migration-transaction";
import type { AppliedMigration, LoadedMigration, MigrationOutcome } from "./migration-types";
import { asMigrationError } from "./run-migrations";

/** Which migrations a revert undoes. */
export interface RevertOptions {
  /**
   * Revert every migration applied after this one, keeping it applied. `base` reverts them all.
   * Without it, only the last applied migration is reverted.
   */
  readonly to?: string;
}

/** The name `--to` takes to revert every migration of a database. */
export const REVERT_ALL = "base";

/** What a revert did to one database. */
export interface RevertOutcome {
  readonly database: string;
  /** Migrations whose `down` ran, newest first. */
  readonly reverted: readonly MigrationOutcome[];
}

function chooseTargets(database: string, applied: readonly AppliedMigration[], options: RevertOptions): AppliedMigration[] | MigrationError {
  if (applied.length === 0) return migrationError("NOTHING_TO_REVERT", `Database '${database}' has no applied migration to revert.`, { database });
  const newestFirst = [...applied].reverse();
  if (options.to === undefined) return newestFirst.slice(0, 1);
  if (options.to === REVERT_ALL) return newestFirst;
  const index = newestFirst.findIndex((entry) => entry.name === options.to);
  if (index < 0) {
    return migrationError("MIGRATION_NOT_FOUND", `Migration '${options.to}' is not applied to database '${database}'. Applied: ${applied.map((entry) => entry.name).join(", ")} (or use '${REVERT_ALL}').`, {
      database,
      migration: options.to,
      details: { applied: applied.map((entry) => entry.name) },
    });
  }
  if (index === 0) return migrationError("NOTHING_TO_REVERT", `Migration '${options.to}' is already the last one applied to database '${database}'.`, { database, migration: options.to });
  return newestFirst.slice(0, index);
}

async function revertOne(database: ModuleDatabase, migration: LoadedMigration): Promise<MigrationOutcome> {
  const started = performance.now();
  const trace: StatementTrace = {};
  try {
    await inMigrationTransaction(database, async (runner, liveTrace) => {
      try {
        await migration.instance.down(runner);
      } finally {
        if (liveTrace.last !== undefined) trace.last = liveTrace.last;
      }
      await removeApplied(runner, migration.name);
    });
    return { name: migration.name, description: migration.description, durationMs: performance.now() - started };
  } catch (error) {
    const statement = failedStatement(error, trace);
    const where = statement === undefined ? "" : ` at statement: ${statement}`;
    throw migrationError("REVERT_FAILED", `Reverting migration '${migration.name}' of database '${database.name}' failed${where}: ${errorMessage(error)}. The database was left as it was before this revert.`, {
      database: database.name,
      migration: migration.name,
      ...(statement === undefined ? {} : { statement }),
      details: { file: migration.file, cause: errorMessage(error) },
    });
  }
}

/**
 * Undoes the last applied migration of a database, or every migration after `options.to`, newest
 * first, each `down` in its own transaction with its record removed in the same transaction.
 * Every migration to revert must still have its file: if one is missing nothing is reverted.
 */
export function revertMigrations(database: ModuleDatabase, migrations: readonly LoadedMigration[], options: RevertOptions = {}): ResultAsync<RevertOutcome, MigrationError> {
  const revert = async (): Promise<RevertOutcome> => {
    const applied = await database.gate.run(async () => readAppliedMigrations(database.dataSource.createQueryRunner()));
    const targets = chooseTargets(database.name, applied, options);
    if (!Array.isArray(targets)) throw targets;
    const byName = new Map(migrations.map((migration) => [migration.name, migration]));
    const missing = targets.filter((target) => !byName.has(target.name)).map((target) => target.name);
    if (missing.length > 0) {
      throw migrationError("MIGRATION_MISSING", `Cannot revert database '${database.name}': no migration file defines ${missing.map((name) => `'${name}'`).join(", ")}.`, {
        database: database.name,
        migration: missing[0] as string,
        details: { missing },
      });
    }
    const reverted: MigrationOutcome[] = [];
    for (const target of targets) {
      try {
        reverted.push(await revertOne(database, byName.get(target.name) as LoadedMigration));
      } catch (error) {
        const failure = error as MigrationError;
        throw { ...failure, details: { ...failure.details, reverted: reverted.map((outcome) => outcome.name) } } satisfies MigrationError;
      }
    }
    return { database: database.name, reverted };
  };
  return ResultAsync.fromPromise(revert(), (error) => asMigrationError(error, database.name, "REVERT_FAILED"));
}
