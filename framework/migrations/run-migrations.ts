import { ResultAsync } from "neverthrow";
import type { ModuleDatabase } from "../database/module-database";
import { errorMessage, migrationError, type MigrationError } from "./migration-error";
import { hasUserTables, isApplied, readAppliedMigrations, recordApplied } from "./migration-table";
import { failedStatement, inMigrationTransaction, type StatementTrace } from "./migration-transaction";
import type { LoadedMigration, MigrationOutcome } from "./migration-types";

/** What a run did to one database. */
export interface RunOutcome {
  readonly database: string;
  /** Migrations whose `up` ran, in order. */
  readonly applied: readonly MigrationOutcome[];
}

/** The migrations not yet recorded in the database, in order. */
export function pendingOf(migrations: readonly LoadedMigration[], appliedNames: ReadonlySet<string>): LoadedMigration[] {
  return migrations.filter((migration) => !appliedNames.has(migration.name));
}

/**
 * Applies one migration in its own transaction and records it. Returns `undefined` when another
 * process applied it first (checked inside the transaction, so two runners never both apply it).
 */
async function applyOne(database: ModuleDatabase, migration: LoadedMigration): Promise<MigrationOutcome | undefined> {
  const started = performance.now();
  const trace: StatementTrace = {};
  try {
    const ran = await inMigrationTransaction(database, async (runner, liveTrace) => {
      if (await isApplied(runner, migration.name)) return false;
      if (migration.initial && (await hasUserTables(runner))) {
        // The tables it would create exist already: boot made them from the entities before the module had migrations.
        await recordApplied(runner, migration.name, migration.description, "baseline");
        return false;
      }
      try {
        await migration.instance.up(runner);
      } finally {
        if (liveTrace.last !== undefined) trace.last = liveTrace.last;
      }
      await recordApplied(runner, migration.name, migration.description, "run");
      return true;
    });
    return ran ? { name: migration.name, description: migration.description, durationMs: performance.now() - started } : undefined;
  } catch (error) {
    const statement = failedStatement(error, trace);
    const where = statement === undefined ? "" : ` at statement: ${statement}`;
    throw migrationError("MIGRATION_FAILED", `Migration '${migration.name}' of database '${database.name}' failed${where}: ${errorMessage(error)}. The database was left as it was before this migration.`, {
      database: database.name,
      migration: migration.name,
      ...(statement === undefined ? {} : { statement }),
      details: { file: migration.file, cause: errorMessage(error) },
    });
  }
}

/**
 * Applies every pending migration of a database, in order, each in its own transaction.
 * Stops at the first failure: that migration is rolled back completely and the error names it
 * and the statement that failed; migrations applied before it stay applied (listed in
 * `details.applied`).
 */
export function runPendingMigrations(database: ModuleDatabase, migrations: readonly LoadedMigration[]): ResultAsync<RunOutcome, MigrationError> {
  const run = async (): Promise<RunOutcome> => {
    const applied = await database.gate.run(async () => readAppliedMigrations(database.dataSource.createQueryRunner()));
    const done: MigrationOutcome[] = [];
    for (const migration of pendingOf(migrations, new Set(applied.map((entry) => entry.name)))) {
      try {
        const outcome = await applyOne(database, migration);
        if (outcome !== undefined) done.push(outcome);
      } catch (error) {
        const failure = error as MigrationError;
        throw { ...failure, details: { ...failure.details, applied: done.map((outcome) => outcome.name) } } satisfies MigrationError;
      }
    }
    return { database: database.name, applied: done };
  };
  return ResultAsync.fromPromise(run(), (error) => asMigrationError(error, database.name, "MIGRATION_FAILED"));
}

/** Normalises anything thrown by migration work into a {@link MigrationError}. */
export function asMigrationError(error: unknown, database: string, code: MigrationError["code"]): MigrationError {
  if (typeof error === "object" && error !== null && "code" in error && "message" in error && !(error instanceof Error)) return error as MigrationError;
  return migrationError(code, `Database '${database}': ${errorMessage(error)}`, { database });
}
