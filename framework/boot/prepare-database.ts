import type { FrameworkSettings } from "../config/settings";
import type { DatabaseEntry } from "../database/database-registry";
import type { ModuleDatabase } from "../database/module-database";
import { databaseFile, openModuleDatabase } from "../database/open-data-source";
import { migrateOnBoot, type BootMigrationOutcome } from "../migrations/boot-migrations";
import { loadMigrations } from "../migrations/load-migrations";
import type { MigrationTarget } from "../migrations/migration-target";
import { synchronizeSchema } from "../schema/synchronize-schema";
import { errorText } from "./error-text";
import { fileRefusal, refuseIfCorrupt } from "./file-refusal";

/** The command that writes a migration for a database's refused changes. */
export function generateCommandFor(database: string): string {
  return `npm run db -- migration:generate ${database} <message>`;
}

/** A prepared database and what its migration step did. */
export interface PreparedDatabase {
  readonly entry: DatabaseEntry;
  readonly migrations?: BootMigrationOutcome;
}

/**
 * Opens one database, applies its pending migrations, then brings its schema up to date with the
 * additive step; a failed migration, a refusal or a failure becomes the entry's state.
 * `brokenModules` are modules that used this database before but failed discovery now: their
 * tables are kept untouched and noted, rather than refusing the database for its healthy modules.
 */
export async function prepareDatabase(
  target: MigrationTarget,
  brokenModules: readonly string[],
  settings: FrameworkSettings,
  extension: ".ts" | ".js",
  runMigrations: boolean,
): Promise<PreparedDatabase> {
  const name = target.database;
  const file = databaseFile(settings.dataDir, name);
  const moduleNames = target.modules.map((module) => module.name);
  let database: ModuleDatabase | undefined;
  try {
    database = await openModuleDatabase({ name, modules: moduleNames, entities: target.entities, rememberedTables: target.rememberedTables ?? [] }, settings);
    // Strict mode fails fast on a damaged file: every page is read once (PRAGMA quick_check) before use.
    if (settings.strict) await refuseIfCorrupt(database);
    const migrated = await loadMigrations(
      name,
      target.modules.map((module) => ({ module: module.name, directory: module.directory })),
      extension,
    ).andThen((migrations) => migrateOnBoot(database as ModuleDatabase, migrations, runMigrations));
    if (migrated.isErr()) {
      await database.close();
      const problems = [`Database '${name}' was refused: ${migrated.error.message} Fix the migration, then run: npm run db -- migration:run ${name}`];
      return { entry: { name, file, modules: moduleNames, state: "refused", problems, applied: [], refused: [] } };
    }
    if (migrated.value.pending.length > 0) {
      await database.close();
      const problems = [`Database '${name}' has ${migrated.value.pending.length} pending migration(s) (${migrated.value.pending.join(", ")}); apply them with: npm run db -- migration:run ${name}`];
      return { entry: { name, file, modules: moduleNames, state: "refused", problems, applied: [], refused: [] }, migrations: migrated.value };
    }
    const report = await synchronizeSchema(database, { keepUndeclaredTables: brokenModules.length > 0 });
    if (report.refused.length > 0) {
      await database.close();
      const problems = [
        `Database '${name}' was refused: its entities need changes that could lose or rewrite data. Write a migration for them with: ${generateCommandFor(name)}`,
        ...report.refused.map((change) => change.description),
      ];
      return { entry: { name, file, modules: moduleNames, state: "refused", problems, applied: [], refused: report.refused }, migrations: migrated.value };
    }
    const notes = report.kept.map(
      (change) => `Table '${change.table}' is declared by no loaded module; kept untouched because ${brokenModules.map((module) => `'${module}'`).join(", ")} (which used this database) failed discovery.`,
    );
    return { entry: { name, file, modules: moduleNames, state: "ready", problems: notes, applied: report.applied, refused: [], database }, migrations: migrated.value };
  } catch (error) {
    await database?.close().catch(() => undefined);
    // A corrupt or emptied file is refused with its own code; only that database is affected.
    const refusal = fileRefusal(error, name);
    if (refusal !== undefined) return { entry: { name, file, modules: moduleNames, state: "refused", problems: [refusal.message], applied: [], refused: [], refusal } };
    return { entry: { name, file, modules: moduleNames, state: "failed", problems: [`Database '${name}' could not be opened: ${errorText(error)}`], applied: [], refused: [] } };
  }
}

