import { mkdir } from "node:fs/promises";
import { container as rootContainer } from "tsyringe";
import { CacheManager } from "../cache/cache-manager";
import { loadCacheSettings } from "../cache/cache-settings";
import { createCacheManager } from "../cache/create-cache";
import { loadSettings, runtimeExtension, type SettingsOptions } from "../config/settings";
import { registerContainer } from "../container/register-container";
import { DatabaseRegistry } from "../database/database-registry";
import { FRAMEWORK_DATABASE_NAME } from "../discovery/database-name";
import { discoverModules } from "../discovery/discover-modules";
import { describeIssue } from "../discovery/discovery-issue";
import type { BootMigrationOutcome } from "../migrations/boot-migrations";
import { MigrationService } from "../migrations/migration-service";
import { writeHolderFile } from "../runtime/holder-file";
import { Scheduler } from "../scheduler/scheduler";
import { SeedRunner } from "../seeds/seed-runner";
import { BootRecorder } from "../system/boot-recorder";
import { BootError } from "./boot-error";
import { errorText } from "./error-text";
import { Framework } from "./framework";
import { groupByDatabase, migrationTargets } from "./migration-targets";
import { moduleStatuses } from "./module-statuses";
import { openFrameworkDatabase } from "./open-framework-database";
import { prepareDatabase } from "./prepare-database";

/** Options of {@link bootFramework}; anything unset comes from the environment, then defaults. */
export interface BootOptions extends SettingsOptions {
  /**
   * Apply pending migrations while opening each database (default true). The CLI passes false so
   * that only `migration:run` changes schemas; a database with pending migrations is then refused
   * (the additive step must never run ahead of them).
   */
  readonly runMigrations?: boolean;
}

/**
 * Boots the framework: validates settings, discovers `modules/*\/db-models`, opens one SQLite
 * database per `DATABASE_NAME` (plus the framework's own), applies pending migrations, creates or
 * extends their tables, fills a fresh container, runs module start hooks and records what it found.
 *
 * By default a broken module (or a refused database) is reported unhealthy and everything else
 * keeps working; with `strict` any such problem rejects the boot with a {@link BootError}. A boot
 * that rejects leaves no database open.
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
  const frameworkEntry = await openFrameworkDatabase(settings);
  registry.register(frameworkEntry);
  try {
    const recorder = new BootRecorder(frameworkEntry.database);
    await recorder.start();

    // Modules that broke this time but used a database last time: their tables must not look dropped.
    const brokenByDatabase = new Map<string, string[]>();
    for (const issue of discovery.issues) {
      const previous = recorder.lastKnownDatabase(issue.module);
      if (previous !== undefined) brokenByDatabase.set(previous, [...(brokenByDatabase.get(previous) ?? []), issue.module]);
    }
    // A database that had tables at the previous boot must come back with its file, not as a new empty one.
    const targets = migrationTargets(groupByDatabase(discovery.modules)).map((target) => ({ ...target, rememberedTables: recorder.rememberedTables(target.database) }));
    const bootMigrations = new Map<string, BootMigrationOutcome>();
    for (const target of targets.filter((candidate) => candidate.database !== FRAMEWORK_DATABASE_NAME)) {
      const prepared = await prepareDatabase(target, brokenByDatabase.get(target.database) ?? [], settings, extension, options.runMigrations ?? true);
      registry.register(prepared.entry);
      if (prepared.migrations !== undefined) bootMigrations.set(target.database, prepared.migrations);
    }

    const refusedOrFailed = registry.list().filter((entry) => entry.state !== "ready");
    if (settings.strict && refusedOrFailed.length > 0) {
      throw new BootError("SCHEMA_REFUSED", "Some databases could not be made ready (strict mode).", refusedOrFailed.flatMap((entry) => entry.problems));
    }

    const container = rootContainer.createChildContainer();
    const scheduler = new Scheduler();
    container.registerInstance(Scheduler, scheduler);
    const cache = await createCacheManager(cacheSettings.value, frameworkEntry.database, scheduler);
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

    const modules = moduleStatuses(discovery.modules, discovery.issues, registry, startProblems);
    await recorder.finish(modules, registry.list());
    // Tells `moduledb restore` (another process) that these databases are in use until shutdown.
    const holderFile = writeHolderFile(settings.dataDir, registry.open().map((database) => database.name));
    const framework = new Framework(container, registry, settings, modules, discovery.issues, recorder, scheduler, cache, holderFile);
    container.registerInstance(Framework, framework);
    return framework;
  } catch (error) {
    await registry.closeAll();
    throw error;
  }
}
