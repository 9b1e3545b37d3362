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
import { Scheduler } from "../scheduler/scheduler";
import { synchronizeSchema } from "../schema/synchronize-schema";
import { BootRecorder } from "../system/boot-recorder";
import { SYSTEM_ENTITIES } from "../system/system-entities";
import { BootError } from "./boot-error";
import { Framework } from "./framework";
import type { ModuleStatus } from "./module-status";

/** Options of {@link bootFramework}; anything unset comes from the environment, then defaults. */
export type BootOptions = SettingsOptions;

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function groupByDatabase(modules: readonly DiscoveredModule[]): Map<string, DiscoveredModule[]> {
  const groups = new Map<string, DiscoveredModule[]>();
  for (const module of modules) groups.set(module.databaseName, [...(groups.get(module.databaseName) ?? []), module]);
  return groups;
}

/**
 * Opens one database and brings its schema up to date; a refusal or failure becomes the entry's state.
 * `brokenModules` are modules that used this database before but failed discovery now: their
 * tables are kept untouched and noted, rather than refusing the database for its healthy modules.
 */
async function prepareDatabase(name: string, modules: readonly DiscoveredModule[], brokenModules: readonly string[], settings: FrameworkSettings): Promise<DatabaseEntry> {
  const file = databaseFile(settings.dataDir, name);
  const moduleNames = modules.map((module) => module.name);
  let database: ModuleDatabase | undefined;
  try {
    database = await openModuleDatabase({ name, modules: moduleNames, entities: modules.flatMap((module) => module.entities) }, settings);
    const report = await synchronizeSchema(database, { keepUndeclaredTables: brokenModules.length > 0 });
    if (report.refused.length > 0) {
      await database.close();
      const problems = [
        `Database '${name}' was refused: its entities need changes that could lose or rewrite data. Write a migration for:`,
        ...report.refused.map((change) => change.description),
      ];
      return { name, file, modules: moduleNames, state: "refused", problems, applied: [], refused: report.refused };
    }
    const notes = report.kept.map(
      (change) => `Table '${change.table}' is declared by no loaded module; kept untouched because ${brokenModules.map((module) => `'${module}'`).join(", ")} (which used this database) failed discovery.`,
    );
    return { name, file, modules: moduleNames, state: "ready", problems: notes, applied: report.applied, refused: [], database };
  } catch (error) {
    await database?.close().catch(() => undefined);
    return { name, file, modules: moduleNames, state: "failed", problems: [`Database '${name}' could not be opened: ${errorText(error)}`], applied: [], refused: [] };
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
  await mkdir(settings.dataDir, { recursive: true }).catch((error: unknown) => {
    throw new BootError("DATABASE_OPEN_FAILED", `The data folder '${settings.dataDir}' (DATABASE_DIR) cannot be created: ${errorText(error)}`, [settings.dataDir]);
  });

  const discovery = await discoverModules({ rootDir: settings.rootDir, extension: runtimeExtension() });
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
  for (const [name, modules] of groupByDatabase(discovery.modules)) registry.register(await prepareDatabase(name, modules, brokenByDatabase.get(name) ?? [], settings));

  const refusedOrFailed = registry.list().filter((entry) => entry.state !== "ready");
  if (settings.strict && refusedOrFailed.length > 0) {
    await registry.closeAll();
    throw new BootError("SCHEMA_REFUSED", "Some databases could not be made ready (strict mode).", refusedOrFailed.flatMap((entry) => entry.problems));
  }

  const container = rootContainer.createChildContainer();
  const scheduler = new Scheduler();
  container.registerInstance(Scheduler, scheduler);
  const healthyModules = discovery.modules.filter((module) => registry.entry(module.databaseName)?.state === "ready");
  registerContainer(container, settings, registry, healthyModules);
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
  const framework = new Framework(container, registry, settings, modules, discovery.issues, recorder, scheduler);
  container.registerInstance(Framework, framework);
  return framework;
}
