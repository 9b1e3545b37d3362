import type { FrameworkSettings } from "../config/settings";
import type { DatabaseEntry } from "../database/database-registry";
import type { ModuleDatabase } from "../database/module-database";
import { databaseLocation, openModuleDatabase } from "../database/open-data-source";
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

/** How {@link prepareDatabase} may treat the database. */
export interface PrepareOptions {
  /** Apply pending migrations (boot of a server) rather than refusing the database for them. */
  readonly runMigrations: boolean;
  /** Apply additive schema changes; when false they are only reported (read-only commands, databases another process holds). */
  readonly applySchema: boolean;
  /** Re-evaluate this open database instead of opening the file; it stays open whatever the outcome. */
  readonly existing?: ModuleDatabase;
}

/**
 * Opens one database (or takes the open one), applies or checks its pending migrations, then
 * brings its schema up to date with the additive step; a failed migration, a refusal or a failure
 * becomes the entry's state. `brokenModules` are modules that used this database before but failed
 * discovery now: their tables are kept untouched and noted, rather than refusing the database for
 * its healthy modules. A database opened here is closed again when it is not ready.
 */
export async function prepareDatabase(target: MigrationTarget, brokenModules: readonly string[], settings: FrameworkSettings, extension: ".ts" | ".js", options: PrepareOptions): Promise<PreparedDatabase> {
  const name = target.database;
  const file = databaseLocation(settings, name);
  const moduleNames = target.modules.map((module) => module.name);
  let database: ModuleDatabase | undefined = options.existing;
  const notReady = async (state: "refused" | "failed", problems: string[], extra: Partial<DatabaseEntry> = {}, migrations?: BootMigrationOutcome): Promise<PreparedDatabase> => {
    if (options.existing === undefined) await database?.close().catch(() => undefined);
    const kept = options.existing === undefined ? {} : { database: options.existing };
    const entry: DatabaseEntry = { name, file, modules: moduleNames, state, problems, applied: [], refused: [], ...extra, ...kept };
    return migrations === undefined ? { entry } : { entry, migrations };
  };
  try {
    database ??= await openModuleDatabase({ name, modules: moduleNames, entities: target.entities, rememberedTables: target.rememberedTables ?? [] }, settings);
    const open = database;
    // Strict mode fails fast on a damaged file: every page is read once (PRAGMA quick_check) before use.
    if (settings.strict) await refuseIfCorrupt(open);
    const migrated = await loadMigrations(
      name,
      target.modules.map((module) => ({ module: module.name, directory: module.directory })),
      extension,
    ).andThen((migrations) => migrateOnBoot(open, migrations, options.runMigrations, options.applySchema));
    if (migrated.isErr()) {
      return notReady("refused", [`Database '${name}' was refused: ${migrated.error.message} Fix the migration, then run: npm run db -- migration:run ${name}`]);
    }
    if (migrated.value.pending.length > 0) {
      const pending = migrated.value.pending;
      return notReady("refused", [`Database '${name}' has ${pending.length} pending migration(s) (${pending.join(", ")}); apply them with: npm run db -- migration:run ${name}`], {}, migrated.value);
    }
    const report = await synchronizeSchema(open, { keepUndeclaredTables: brokenModules.length > 0, apply: options.applySchema });
    if (report.refused.length > 0) {
      const problems = [
        `Database '${name}' was refused: its entities need changes that could lose or rewrite data. Write a migration for them with: ${generateCommandFor(name)}`,
        ...report.refused.map((change) => change.description),
      ];
      return notReady("refused", problems, { refused: report.refused }, migrated.value);
    }
    const notes = report.kept.map(
      (change) => `Table '${change.table}' is declared by no loaded module; kept untouched because ${brokenModules.map((module) => `'${module}'`).join(", ")} (which used this database) failed discovery.`,
    );
    if (report.unapplied.length > 0) {
      notes.push(`${report.unapplied.length} additive change(s) not applied by this process (left to the process that holds the database, or the next boot): ${report.unapplied.map((change) => change.description).join(" ")}`);
    }
    return { entry: { name, file, modules: moduleNames, state: "ready", problems: notes, applied: report.applied, refused: [], database: open }, migrations: migrated.value };
  } catch (error) {
    // A corrupt or emptied file is refused with its own code; only that database is affected.
    const refusal = fileRefusal(error, name);
    if (refusal !== undefined) return notReady("refused", [refusal.message], { refusal });
    return notReady("failed", [`Database '${name}' could not be opened: ${errorText(error)}`]);
  }
}
