import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { ResultAsync } from "neverthrow";
import type { ModuleDatabase } from "../database/module-database";
import { errorMessage, migrationError, type MigrationError } from "./migration-error";
import { sourceModuleDirectory } from "./migration-paths";
import { hasUserTables, readAppliedMigrations } from "./migration-table";
import type { MigrationTarget, TargetModule } from "./migration-target";
import type { LoadedMigration } from "./migration-types";
import { planMigration, type MigrationPlan } from "./plan-migration";
import { nameMigration, renderMigration, slugOf } from "./render-migration";
import { pendingOf } from "./run-migrations";

/** What `generate` did. */
export interface GeneratedMigration {
  readonly database: string;
  /** False when the entities and the database already agree: nothing was written. */
  readonly written: boolean;
  /** The new file (a `.ts` in the module's source folder). */
  readonly file?: string;
  readonly name?: string;
  /** True when the CLI runs the compiled build: the new file takes effect after `npm run build`. */
  readonly needsBuild: boolean;
  readonly plan: MigrationPlan;
}

/** The module a new migration belongs to: the owner of the first changed table, else the first module. */
function owningModule(target: MigrationTarget, plan: MigrationPlan): TargetModule | undefined {
  for (const change of plan.changes) {
    const owner = target.modules.find((module) => module.tables.includes(change.table));
    if (owner !== undefined) return owner;
  }
  return target.modules[0];
}

function freeStamp(directory: string, message: string): number {
  let stamp = Date.now();
  while (existsSync(path.join(directory, nameMigration(message, stamp).fileName))) stamp += 1;
  return stamp;
}

/**
 * Diffs a database's entities against its real schema and writes a migration with `up` and `down`
 * into the owning module's source `migrations/` folder. Writes nothing when there is nothing to
 * change. Refuses while migrations are pending: a diff taken before them would repeat their work.
 */
export function generateMigration(
  database: ModuleDatabase,
  target: MigrationTarget,
  migrations: readonly LoadedMigration[],
  message: string,
  extension: ".ts" | ".js",
): ResultAsync<GeneratedMigration, MigrationError> {
  const generate = async (): Promise<GeneratedMigration> => {
    if (slugOf(message) === "") {
      throw migrationError("INVALID_MESSAGE", `The migration message ${JSON.stringify(message)} needs at least one letter or digit (it names the file and class).`, { database: database.name });
    }
    const applied = await database.gate.run(async () => readAppliedMigrations(database.dataSource.createQueryRunner()));
    const pending = pendingOf(migrations, new Set(applied.map((entry) => entry.name)));
    if (pending.length > 0) {
      throw migrationError("PENDING_MIGRATIONS", `Database '${database.name}' has pending migrations (${pending.map((entry) => entry.name).join(", ")}); run them first (npm run db -- migration:run ${database.name}).`, {
        database: database.name,
        details: { pending: pending.map((entry) => entry.name) },
      });
    }
    if (target.modules.length === 0) {
      throw migrationError("GENERATE_FAILED", `Database '${database.name}' belongs to no module folder, so there is nowhere to write a migration.`, { database: database.name });
    }
    // Against an empty database the migration creates the module's whole schema: its initial one.
    const initial = !(await database.gate.run(async () => hasUserTables(database.dataSource.createQueryRunner())));
    const stampGuess = Date.now();
    const plan = await planMigration(database, stampGuess);
    const needsBuild = extension === ".js";
    if (plan.up.length === 0) return { database: database.name, written: false, needsBuild: false, plan };
    const owner = owningModule(target, plan) as TargetModule;
    const folder = path.join(sourceModuleDirectory(owner.directory), "migrations");
    await mkdir(folder, { recursive: true });
    const stamp = freeStamp(folder, message);
    // Archive table names carry the stamp; re-plan when the file stamp had to move past a taken one.
    const finalPlan = stamp === stampGuess ? plan : await planMigration(database, stamp);
    const naming = nameMigration(message, stamp);
    const file = path.join(folder, naming.fileName);
    await writeFile(file, renderMigration(finalPlan, message, naming, new Date(), initial), { flag: "wx" });
    return { database: database.name, written: true, file, name: naming.className, needsBuild, plan: finalPlan };
  };
  return ResultAsync.fromPromise(generate(), (error) =>
    typeof error === "object" && error !== null && "code" in error && !(error instanceof Error)
      ? (error as MigrationError)
      : migrationError("GENERATE_FAILED", `Generating a migration for database '${database.name}' failed: ${errorMessage(error)}`, { database: database.name }),
  );
}
