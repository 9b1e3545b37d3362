import { err, errAsync, ok, okAsync, ResultAsync, type Result } from "neverthrow";
import type { FrameworkSettings } from "../config/settings";
import type { DatabaseRegistry } from "../database/database-registry";
import type { ModuleDatabase } from "../database/module-database";
import { openModuleDatabase } from "../database/open-data-source";
import type { OperationsLog } from "../system/operations-log";
import type { BootMigrationOutcome } from "./boot-migrations";
import { generateMigration, type GeneratedMigration } from "./generate-migration";
import { loadMigrations } from "./load-migrations";
import { errorMessage, migrationError, type MigrationError } from "./migration-error";
import { readMigrationStatus, type MigrationStatus } from "./migration-status";
import type { MigrationTarget } from "./migration-target";
import type { LoadedMigration, MigrationOutcome } from "./migration-types";
import { revertMigrations, type RevertOptions, type RevertOutcome } from "./revert-migrations";
import { readAppliedMigrations } from "./migration-table";
import { asMigrationError, pendingOf, runPendingMigrations } from "./run-migrations";

/** The state of a database in the registry, next to its migration status. */
export interface DatabaseMigrationStatus extends MigrationStatus {
  /** `ready`, or why boot did not open it (`refused`, `failed`). */
  readonly state: string;
  /** Migrations boot applied in this process before anything else touched the database. */
  readonly appliedAtBoot: readonly string[];
}

/** What `run` did to one database. */
export interface DatabaseRunReport {
  readonly database: string;
  /** Migrations applied by this call. */
  readonly applied: readonly MigrationOutcome[];
  /** Migrations boot already applied in this process (boot runs pending migrations first). */
  readonly appliedAtBoot: readonly string[];
  /** Set when a migration of this database failed; that migration was rolled back. */
  readonly failure?: MigrationError;
}

/** Who asked for an operation, for the operations log (this process when absent). */
export interface OperationActor {
  readonly actor?: string;
}

/**
 * Per-database migrations: status, run, revert and generate, addressed by database name.
 * Registered in the framework's container; the CLI and the HTTP layer both use it. A database
 * boot refused (for a destructive change or a failed migration) is opened on its own connection
 * for the call and closed after it. After a run or a revert every database it touched is
 * re-evaluated (`DatabaseRegistry.reload`), so a refused database whose schema now agrees is
 * served again and one whose schema no longer agrees is refused with the reason — never left to
 * fail with raw SQL errors. Runs and reverts are written to the operations log.
 */
export class MigrationService {
  private readonly targets: Map<string, MigrationTarget>;

  constructor(
    private readonly registry: DatabaseRegistry,
    private readonly settings: FrameworkSettings,
    targets: readonly MigrationTarget[],
    private readonly bootOutcomes: ReadonlyMap<string, BootMigrationOutcome>,
    /** `.ts` under the test runner, `.js` from the build: which migration files to load. */
    private readonly extension: ".ts" | ".js",
    private readonly log?: OperationsLog,
  ) {
    this.targets = new Map(targets.map((target) => [target.database, target]));
  }

  /** Every database that can have migrations, sorted. */
  databases(): string[] {
    return [...this.targets.keys()].sort();
  }

  /** What boot did about migrations for a database in this process. */
  bootOutcome(database: string): BootMigrationOutcome | undefined {
    return this.bootOutcomes.get(database);
  }

  /** The migration files of a database, in the order they run. */
  migrations(database: string): ResultAsync<LoadedMigration[], MigrationError> {
    return this.target(database).asyncAndThen((target) => this.load(target));
  }

  /** Applied, pending and missing migrations plus schema drift, for one database or all. */
  status(database?: string): ResultAsync<DatabaseMigrationStatus[], MigrationError> {
    return this.each(database, (target) =>
      this.load(target).andThen((migrations) =>
        this.withDatabase(target, (db) =>
          ResultAsync.fromPromise(readMigrationStatus(db, migrations), (error) => migrationError("DATABASE_UNAVAILABLE", `Database '${target.database}': ${errorMessage(error)}`, { database: target.database })),
        ).map((status) => ({ ...status, state: this.registry.entry(target.database)?.state ?? "unknown", appliedAtBoot: this.bootOutcomes.get(target.database)?.applied ?? [] })),
      ),
    );
  }

  /**
   * Applies pending migrations of one database or all, each in its own transaction. The Result is
   * an error only when the request is wrong (unknown database); a failed migration is reported in
   * its database's `failure`, and the other databases are still migrated.
   */
  run(database?: string, by: OperationActor = {}): ResultAsync<DatabaseRunReport[], MigrationError> {
    return this.each(database, (target) => {
      const appliedAtBoot = this.bootOutcomes.get(target.database)?.applied ?? [];
      const attempt = this.load(target).andThen((migrations) => this.withDatabase(target, (db) => this.changing(db, migrations, () => runPendingMigrations(db, migrations))));
      return ResultAsync.fromSafePromise(
        attempt.match(
          (outcome): DatabaseRunReport => ({ database: target.database, applied: outcome.applied, appliedAtBoot }),
          (failure): DatabaseRunReport => {
            const applied = ((failure.details?.applied as string[] | undefined) ?? []).map((name) => ({ name, description: null, durationMs: 0 }));
            return { database: target.database, applied, appliedAtBoot, failure };
          },
        ),
      ).andThen((report) => ResultAsync.fromSafePromise(this.afterRun(report, by)));
    });
  }

  private async afterRun(report: DatabaseRunReport, by: OperationActor): Promise<DatabaseRunReport> {
    const applied = report.applied.map((outcome) => outcome.name);
    if (applied.length > 0 || report.failure !== undefined) {
      await this.log?.record({
        kind: "migration.run",
        outcome: report.failure === undefined ? "ok" : "failed",
        database: report.database,
        ...(by.actor === undefined ? {} : { actor: by.actor }),
        message:
          report.failure === undefined
            ? `Applied ${applied.length} migration(s) to '${report.database}': ${applied.join(", ")}.`
            : `${report.failure.message}${applied.length > 0 ? ` Applied before it: ${applied.join(", ")}.` : ""}`,
        details: { applied, ...(report.failure === undefined ? {} : { failure: { code: report.failure.code, migration: report.failure.migration ?? null, message: report.failure.message } }) },
      });
    }
    return report;
  }

  /**
   * Runs a schema change with the database suspended in the registry (callers get "being migrated,
   * retry" instead of running into the change half-way), re-evaluates it and resumes. With
   * `migrations` given, nothing is suspended when none of them is pending.
   */
  private changing<T>(database: ModuleDatabase, migrations: readonly LoadedMigration[] | undefined, work: () => ResultAsync<T, MigrationError>): ResultAsync<T, MigrationError> {
    const run = async () => {
      if (migrations !== undefined) {
        const applied = new Set((await database.gate.run(async () => readAppliedMigrations(database.dataSource.createQueryRunner()))).map((entry) => entry.name));
        if (pendingOf(migrations, applied).length === 0) return work();
      }
      const resume = this.registry.suspend(database.name, `Database '${database.name}' is being migrated; retry in a moment.`);
      try {
        const result = await work();
        await this.reload(database.name);
        return result;
      } finally {
        resume();
      }
    };
    return ResultAsync.fromPromise(run(), (error) => asMigrationError(error, database.name, "MIGRATION_FAILED")).andThen((result) => (result.isOk() ? okAsync(result.value) : errAsync(result.error)));
  }

  /** Re-evaluates a database after its schema changed; a failure to re-check leaves it as the registry had it. */
  private async reload(database: string): Promise<void> {
    if (this.registry.entry(database) !== undefined) await this.registry.reload(database);
  }

  /** Undoes the last applied migration of a database, or every one after `options.to`. */
  revert(database: string, options: RevertOptions = {}, by: OperationActor = {}): ResultAsync<RevertOutcome, MigrationError> {
    const reverted = this.target(database).asyncAndThen((target) =>
      this.load(target).andThen((migrations) => this.withDatabase(target, (db) => this.changing(db, undefined, () => revertMigrations(db, migrations, options)))),
    );
    return ResultAsync.fromSafePromise(
      (async () => {
        const result = await reverted;
        const names = result.isOk() ? result.value.reverted.map((outcome) => outcome.name) : ((result.error.details?.reverted as string[] | undefined) ?? []);
        if (names.length > 0 || (result.isErr() && result.error.code === "REVERT_FAILED")) {
          await this.log?.record({
            kind: "migration.revert",
            outcome: result.isOk() ? "ok" : "failed",
            database,
            ...(by.actor === undefined ? {} : { actor: by.actor }),
            message: result.isOk() ? `Reverted ${names.length} migration(s) of '${database}': ${names.join(", ")}.` : result.error.message,
            details: { reverted: names, ...(options.to === undefined ? {} : { to: options.to }) },
          });
        }
        return result;
      })(),
    ).andThen((result) => (result.isOk() ? okAsync(result.value) : errAsync(result.error)));
  }

  /** Writes a migration for the difference between a database's entities and its schema (nothing when they agree). */
  generate(database: string, message: string): ResultAsync<GeneratedMigration, MigrationError> {
    return this.target(database).asyncAndThen((target) =>
      this.load(target).andThen((migrations) => this.withDatabase(target, (db) => generateMigration(db, target, migrations, message, this.extension))),
    );
  }

  private target(database: string): Result<MigrationTarget, MigrationError> {
    const target = this.targets.get(database);
    if (target !== undefined) return ok(target);
    return err(
      migrationError("DATABASE_NOT_FOUND", `Database '${database}' not found. Available databases: ${this.databases().join(", ") || "none"}.`, {
        database,
        details: { database_name: database, available_databases: this.databases() },
      }),
    );
  }

  private load(target: MigrationTarget): ResultAsync<LoadedMigration[], MigrationError> {
    return loadMigrations(
      target.database,
      target.modules.map((module) => ({ module: module.name, directory: module.directory })),
      this.extension,
    );
  }

  private each<T>(database: string | undefined, work: (target: MigrationTarget) => ResultAsync<T, MigrationError>): ResultAsync<T[], MigrationError> {
    if (database !== undefined) return this.target(database).asyncAndThen(work).map((value) => [value]);
    const run = async (): Promise<T[]> => {
      const results: T[] = [];
      for (const name of this.databases()) {
        const result = await work(this.targets.get(name) as MigrationTarget);
        if (result.isErr()) throw result.error;
        results.push(result.value);
      }
      return results;
    };
    return ResultAsync.fromPromise(run(), (error) => error as MigrationError);
  }

  /** Runs work on the registry's open database, or on a connection opened just for it. */
  private withDatabase<T>(target: MigrationTarget, work: (database: ModuleDatabase) => ResultAsync<T, MigrationError>): ResultAsync<T, MigrationError> {
    const entry = this.registry.entry(target.database);
    if (entry?.state === "ready" && entry.database !== undefined) return work(entry.database);
    const opened = ResultAsync.fromPromise(
      openModuleDatabase({ name: target.database, entities: target.entities, modules: target.modules.map((module) => module.name), rememberedTables: target.rememberedTables ?? [] }, this.settings),
      (error) => migrationError("DATABASE_UNAVAILABLE", `Database '${target.database}' could not be opened: ${errorMessage(error)}`, { database: target.database }),
    );
    return opened.andThen((database) =>
      ResultAsync.fromSafePromise(work(database)).andThen((result) =>
        ResultAsync.fromSafePromise(database.close().catch(() => undefined)).andThen(() => (result.isOk() ? okAsync(result.value) : errAsync(result.error))),
      ),
    );
  }
}
