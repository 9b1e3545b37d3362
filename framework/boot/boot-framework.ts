import { mkdir } from "node:fs/promises";
import { container as rootContainer } from "tsyringe";
import { loadSettings, runtimeExtension, type FrameworkSettings, type SettingsOptions } from "../config/settings";
import { registerContainer } from "../container/register-container";
import { DatabaseRegistry, type DatabaseEntry } from "../database/database-registry";
import { databaseFile, openModuleDatabase } from "../database/open-data-source";
import type { ModuleDatabase } from "../database/module-database";
import { FRAMEWORK_DATABASE_NAME } from "../discovery/database-name";
import { discoverModules } from "../discovery/discover-modules";
import type { DiscoveredModule } from "../discovery/discovered-module";
import { describeIssue } from "../discovery/discovery-issue";
import { migrateOnBoot, type BootMigrationOutcome } from "../migrations/boot-migrations";
import { loadMigrations } from "../migrations/load-migrations";
import { MigrationService } from "../migrations/migration-service";
import type { MigrationTarget } from "../migrations/migration-target";
import { Scheduler } from "../scheduler/scheduler";
import { SeedRunner } from "../seeds/seed-runner";
import { synchronizeSchema } from "../schema/synchronize-schema";
import { BootRecorder } from "../system/boot-recorder";
import { CacheManager } from "../cache/cache-manager";
import { loadCacheSettings } from "../cache/cache-settings";
import { createCacheManager } from "../cache/create-cache";
import { writeHolderFile } from "../runtime/holder-file";
import { SYSTEM_ENTITIES } from "../system/system-entities";
import { BootError } from "./boot-error";
import { Framework } from "./framework";
import type { ModuleStatus } from "./module-status";

/** Options of {@link bootFramework}; anything unset comes from the environment, then defaults. */
export interface BootOptions extends SettingsOptions {
  /**
   * Apply pending migrations while opening each database (default true). The CLI passes false so
   * that only `migration:run` changes schemas; a database with pending migrations is then refused
   * (the additive step must never run ahead of them).
   */
  readonly runMigrations?: boolean;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function groupByDatabase(modules: readonly DiscoveredModule[]): Map<string, DiscoveredModule[]> {
  const groups = new Map<string, DiscoveredModule[]>();
  for (const module of modules) groups.set(module.databaseName, [...(groups.get(module.databaseName) ?? []), module]);
  return groups;
}

/** The migration view of the databases: each with its modules' folders and entities. */
function migrationTargets(groups: ReadonlyMap<string, readonly DiscoveredModule[]>): MigrationTarget[] {
  const targets: MigrationTarget[] = [{ database: FRAMEWORK_DATABASE_NAME, modules: [], entities: SYSTEM_ENTITIES }];
  for (const [database, modules] of groups) {
    const sorted = [...modules].sort((a, b) => a.name.localeCompare(b.name));
    targets.push({
      database,
      modules: sorted.map((module) => ({ name: module.name, directory: module.directory, tables: module.tables })),
      entities: sorted.flatMap((module) => module.entities),
    });
  }
  return targets;
}

/** The command that writes a migration for a database's refused changes. */
export function generateCommandFor(database: string): string {
  return `npm run db -- migration:generate ${database} <message>`;
}

/** A prepared database and what its migration step did. */
interface PreparedDatabase {
  readonly entry: DatabaseEntry;
  readonly migrations?: BootMigrationOutcome;
}

/**
 * Opens one database, applies its pending migrations, then brings its schema up to date with the
 * additive step; a failed migration, a refusal or a failure becomes the entry's state.
 * `brokenModules` are modules that used this database before but failed discovery now: their
 * tables are kept untouched and noted, rather than refusing the database for its healthy modules.
 */
async function prepareDatabase(
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
    database = await openModuleDatabase({ name, modules: moduleNames, entities: target.entities }, settings);
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
    return { entry: { name, file, modules: moduleNames, state: "failed", problems: [`Database '${name}' could not be opened: ${errorText(error)}`], applied: [], refused: [] } };
  }
}

/**
 * Boots the framework: validates settings, discovers `modules/*\/db-models`, opens one SQLite
 * database per `DATABASE_NAME` (plus the framework's own), creates or extends their tables,
 * records what it found, and fills a fresh container.
 *
 * By default a broken module (or a refused database) is reported unhealthy and everything else
 * keeps working; with `strict` any such problem rejects the boot with a {@link BootError}.
 */
export async function bootFramework(options: BootOptions = {}): Promise<Framework> {
  const loaded = loadSettings(options);
  if (loaded.isErr()) throw new BootError("INVALID_SETTING", loaded.error.message, [loaded.error.variable]);
  const settings = loaded.value;
  const cacheSettings = loadCacheSettings();
  if (cacheSettings.isErr()) throw new BootError("INVALID_SETTING", cacheSettings.error.message, [cacheSettings.error.variable]);
  await mkdir(settings.dataDir, { recursive: true }).catch((error: unknown) => {
    throw new BootError("DATABASE_OPEN_FAILED", `The data folder '${settings.dataDir}' (DATABASE_DIR) cannot be created: ${errorText(error)}`, [settings.dataDir]);
  });

  const extension = runtimeExtension();
  const discovery = await discoverModules({ rootDir: settings.rootDir, extension });
  if (settings.strict && discovery.issues.length > 0) {
    throw new BootError("DISCOVERY_FAILED", "Module discovery failed (strict mode).", discovery.issues.map(describeIssue));
  }

  const registry = new DatabaseRegistry();
  const frameworkDatabase = await openModuleDatabase({ name: FRAMEWORK_DATABASE_NAME, modules: [], entities: SYSTEM_ENTITIES }, settings).catch((error: unknown) => {
    throw new BootError("DATABASE_OPEN_FAILED", `The framework database could not be opened: ${errorText(error)}`, [databaseFile(settings.dataDir, FRAMEWORK_DATABASE_NAME)]);
  });
  const frameworkSchema = await synchronizeSchema(frameworkDatabase);
  if (frameworkSchema.refused.length > 0) {
    await frameworkDatabase.close();
    throw new BootError("SCHEMA_REFUSED", "The framework database needs a migration.", frameworkSchema.refused.map((change) => change.description));
  }
  registry.register({ name: FRAMEWORK_DATABASE_NAME, file: frameworkDatabase.file, modules: [], state: "ready", problems: [], applied: frameworkSchema.applied, refused: [], database: frameworkDatabase });
  const recorder = new BootRecorder(frameworkDatabase);
  await recorder.start();

  const brokenByDatabase = new Map<string, string[]>();
  for (const issue of discovery.issues) {
    const previous = recorder.lastKnownDatabase(issue.module);
    if (previous !== undefined) brokenByDatabase.set(previous, [...(brokenByDatabase.get(previous) ?? []), issue.module]);
  }
  const targets = migrationTargets(groupByDatabase(discovery.modules));
  const bootMigrations = new Map<string, BootMigrationOutcome>();
  for (const target of targets.filter((candidate) => candidate.database !== FRAMEWORK_DATABASE_NAME)) {
    const prepared = await prepareDatabase(target, brokenByDatabase.get(target.database) ?? [], settings, extension, options.runMigrations ?? true);
    registry.register(prepared.entry);
    if (prepared.migrations !== undefined) bootMigrations.set(target.database, prepared.migrations);
  }

  const refusedOrFailed = registry.list().filter((entry) => entry.state !== "ready");
  if (settings.strict && refusedOrFailed.length > 0) {
    await registry.closeAll();
    throw new BootError("SCHEMA_REFUSED", "Some databases could not be made ready (strict mode).", refusedOrFailed.flatMap((entry) => entry.problems));
  }

  const container = rootContainer.createChildContainer();
  const scheduler = new Scheduler();
  container.registerInstance(Scheduler, scheduler);
  const cache = await createCacheManager(cacheSettings.value, frameworkDatabase, scheduler);
  container.registerInstance(CacheManager, cache);
  const healthyModules = discovery.modules.filter((module) => registry.entry(module.databaseName)?.state === "ready");
  registerContainer(container, settings, registry, healthyModules);
  container.registerInstance(MigrationService, new MigrationService(registry, settings, targets, bootMigrations, extension));
  container.registerInstance(SeedRunner, new SeedRunner(registry, targets, container, extension));
  const startProblems = new Map<string, string>();
  for (const module of healthyModules) {
    try {
      await module.start?.(container);
    } catch (error) {
      startProblems.set(module.name, `${module.name}: start hook failed: ${errorText(error)}`);
    }
  }

  const modules: ModuleStatus[] = [
    ...discovery.modules.map((module) => {
      const entry = registry.entry(module.databaseName);
      const startProblem = startProblems.get(module.name);
      const healthy = entry?.state === "ready" && startProblem === undefined;
      const problems = startProblem !== undefined ? [startProblem] : healthy ? [] : (entry?.problems ?? []);
      return { name: module.name, file: module.file, database: module.databaseName, healthy, problems };
    }),
    ...discovery.issues.map((issue) => ({ name: issue.module, file: issue.file, healthy: false, problems: [describeIssue(issue)] })),
  ].sort((a, b) => a.name.localeCompare(b.name));

  await recorder.finish(modules, registry.list());
  // Tells `moduledb restore` (another process) that these databases are in use until shutdown.
  const holderFile = writeHolderFile(settings.dataDir, registry.open().map((database) => database.name));
  const framework = new Framework(container, registry, settings, modules, discovery.issues, recorder, scheduler, cache, holderFile);
  container.registerInstance(Framework, framework);
  return framework;
}
