import { mkdir } from "node:fs/promises";
import { container as rootContainer } from "tsyringe";
import { AccessPolicies } from "../access/table-access";
import { scheduleAuditPruning } from "../audit/audit-pruning";
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
import { FrameworkMetrics } from "../metrics/framework-metrics";
import { loadMetricsSettings } from "../metrics/metrics-settings";
import { MigrationService } from "../migrations/migration-service";
import { waitForExclusiveClaims } from "../runtime/exclusive-claim";
import { claimHolder, liveHolders, type HolderAccess } from "../runtime/holder-file";
import { loadRuntimeSettings } from "../runtime/runtime-settings";
import { Scheduler } from "../scheduler/scheduler";
import { SeedRunner } from "../seeds/seed-runner";
import { BootRecorder } from "../system/boot-recorder";
import { OperationsLog, processActor } from "../system/operations-log";
import { automaticChanges } from "./automatic-changes";
import { BootError } from "./boot-error";
import { recordBoot, scheduleOperationsLogPruning } from "./boot-records";
import { errorText } from "./error-text";
import { Framework } from "./framework";
import { groupByDatabase, migrationTargets } from "./migration-targets";
import { loadModuleSettings } from "../settings/load-module-settings";
import { checkServices, runStartHooks } from "./module-activation";
import { moduleStatuses } from "./module-statuses";
import { openFrameworkDatabase } from "./open-framework-database";
import { prepareDatabase } from "./prepare-database";
import { createReloader } from "./reload-database";
import { selectEngine } from "../engines/select-engine";

/** Name of the scheduler job that looks for schema changes made under the framework by other processes. */
export const DATABASE_WATCH_JOB = "databases:watch";

/** Name of the scheduler job that checkpoints every open database's WAL (`WAL_CHECKPOINT_INTERVAL_MS`). */
export const DATABASE_CHECKPOINT_JOB = "databases:checkpoint";

/** Options of {@link bootFramework}; anything unset comes from the environment, then defaults. */
export interface BootOptions extends SettingsOptions {
  /**
   * Apply pending migrations while opening each database (default true). The CLI passes false so
   * that only `migration:run` changes schemas; a database with pending migrations is then refused
   * (the additive step must never run ahead of them).
   */
  readonly runMigrations?: boolean;
  /**
   * `write` (default): a server or program that changes data. `read`: change nothing at all — no
   * migrations, no additive schema changes, no boot records (CLI read commands).
   */
  readonly access?: HolderAccess;
  /** Who boots, as written into the holder file and the operations log: `server`, `cli`, `app` (default). */
  readonly role?: string;
  /** Write boot history and boot/shutdown entries of the operations log (default: true for `write` boots). */
  readonly recordBoot?: boolean;
  /** Leave the schema of databases that another live process holds for writing untouched (default false; the CLI sets it). */
  readonly leaveHeldSchemas?: boolean;
  /** Look for schema changes made by other processes every `DATABASE_WATCH_INTERVAL_MS` (default true). */
  readonly watchSchema?: boolean;
}

/**
 * Boots the framework: validates settings, discovers `modules/*\/db-models`, claims the data dir
 * (a holder file, written before any database is opened; a restore in progress is waited for),
 * opens one SQLite database per `DATABASE_NAME` (plus the framework's own), applies pending
 * migrations, creates or extends their tables, fills a fresh container, checks that every listed
 * service can be constructed, runs module start hooks and records what it found.
 *
 * By default a broken module (or a refused database) is reported unhealthy and everything else
 * keeps working; with `strict` any such problem rejects the boot with a {@link BootError}. A boot
 * that rejects leaves no database open and withdraws its claim.
 */
export async function bootFramework(options: BootOptions = {}): Promise<Framework> {
  const loaded = loadSettings(options);
  if (loaded.isErr()) throw new BootError("INVALID_SETTING", loaded.error.message, [loaded.error.variable]);
  const settings = loaded.value;
  const cacheSettings = loadCacheSettings();
  if (cacheSettings.isErr()) throw new BootError("INVALID_SETTING", cacheSettings.error.message, [cacheSettings.error.variable]);
  const runtime = loadRuntimeSettings();
  if (runtime.isErr()) throw new BootError("INVALID_SETTING", runtime.error.message, [runtime.error.variable]);
  const metricsSettings = loadMetricsSettings();
  if (metricsSettings.isErr()) throw new BootError("INVALID_SETTING", metricsSettings.error.message, [metricsSettings.error.variable]);
  await mkdir(settings.dataDir, { recursive: true }).catch((error: unknown) => {
    throw new BootError("DATABASE_OPEN_FAILED", `The data folder '${settings.dataDir}' (DATABASE_DIR) cannot be created: ${errorText(error)}`, [settings.dataDir]);
  });

  const extension = runtimeExtension();
  const discovery = await discoverModules({ rootDir: settings.rootDir, extension });
  if (settings.strict && discovery.issues.length > 0) {
    throw new BootError("DISCOVERY_FAILED", "Module discovery failed (strict mode).", discovery.issues.map(describeIssue));
  }

  const access = options.access ?? "write";
  const role = options.role ?? "app";
  const targets = migrationTargets(groupByDatabase(discovery.modules));
  const names = targets.map((target) => target.database);
  // The claim comes before any database is opened: a restore starting at any moment sees it (and
  // refuses), or has claimed the files first, and then boot waits for it to finish.
  const claim = claimHolder(settings.dataDir, { databases: names, access, role });
  // Reading the holders deletes the files of processes that died without withdrawing their claim.
  liveHolders(settings.dataDir);
  const registry = new DatabaseRegistry((name) => selectEngine(settings, name).fingerprint(name));
  const scheduler = new Scheduler();
  // Before any database opens, so every statement from the first one on is measured.
  const metrics = new FrameworkMetrics(metricsSettings.value, registry, scheduler);
  try {
    const blocking = await waitForExclusiveClaims(settings.dataDir, names, settings.connectionTimeoutSeconds * 1000);
    if (blocking.length > 0) {
      throw new BootError("DATABASE_IN_USE", `A restore is replacing database files (DATABASE_CONNECTION_TIMEOUT=${settings.connectionTimeoutSeconds}s ran out waiting for it).`, blocking.map((claim) => `${claim.purpose} by pid ${claim.pid} on ${claim.hostname}: ${claim.databases.join(", ")}`));
    }
    const frameworkEntry = await openFrameworkDatabase(settings);
    registry.register(frameworkEntry);
    const records = options.recordBoot ?? access === "write";
    const recorder = new BootRecorder(frameworkEntry.database);
    await recorder.readPrevious();
    if (records) await recorder.start();

    // Modules that broke this time but used a database last time: their tables must not look dropped.
    const brokenByDatabase = new Map<string, string[]>();
    for (const issue of discovery.issues) {
      const previous = recorder.lastKnownDatabase(issue.module);
      if (previous !== undefined) brokenByDatabase.set(previous, [...(brokenByDatabase.get(previous) ?? []), issue.module]);
    }
    // A database that had tables at the previous boot must come back with its file, not as a new empty one.
    const known = targets.map((target) => ({ ...target, rememberedTables: recorder.rememberedTables(target.database) }));
    const mayChangeSchema = (database: string): boolean =>
      access === "write" && !(options.leaveHeldSchemas === true && liveHolders(settings.dataDir, { access: "write", databases: [database] }).length > 0);
    const bootMigrations = new Map<string, BootMigrationOutcome>();
    for (const target of known.filter((candidate) => candidate.database !== FRAMEWORK_DATABASE_NAME)) {
      const applySchema = mayChangeSchema(target.database);
      const prepared = await prepareDatabase(target, brokenByDatabase.get(target.database) ?? [], settings, extension, { runMigrations: (options.runMigrations ?? true) && applySchema, applySchema });
      registry.register(prepared.entry);
      if (prepared.migrations !== undefined) bootMigrations.set(target.database, prepared.migrations);
    }

    const refusedOrFailed = registry.list().filter((entry) => entry.state !== "ready");
    if (settings.strict && refusedOrFailed.length > 0) {
      throw new BootError("SCHEMA_REFUSED", "Some databases could not be made ready (strict mode).", refusedOrFailed.flatMap((entry) => entry.problems));
    }

    const container = rootContainer.createChildContainer();
    container.registerInstance(Scheduler, scheduler);
    container.registerInstance(FrameworkMetrics, metrics);
    const cache = await createCacheManager(cacheSettings.value, frameworkEntry.database, scheduler, metrics.cache);
    container.registerInstance(CacheManager, cache);
    const operations = new OperationsLog(frameworkEntry.database, processActor(role));
    container.registerInstance(OperationsLog, operations);
    const healthyModules = discovery.modules.filter((module) => registry.entry(module.databaseName)?.state === "ready");
    registerContainer(container, settings, registry, healthyModules);
    container.registerInstance(MigrationService, new MigrationService(registry, settings, known, bootMigrations, extension, operations));
    container.registerInstance(SeedRunner, new SeedRunner(registry, known, container, extension));

    // An invalid setting marks only its module unhealthy (its services are never built).
    const settingProblems = await loadModuleSettings(container, discovery.modules, frameworkEntry.database);
    const configured = healthyModules.filter((module) => !settingProblems.has(module.name));
    // A listed service the container cannot build marks its module unhealthy now, not at first use.
    const moduleProblems = new Map([...settingProblems, ...checkServices(container, configured)]);
    for (const [module, problem] of await runStartHooks(container, configured.filter((module) => !moduleProblems.has(module.name)))) moduleProblems.set(module, problem);
    const statuses = () => moduleStatuses(discovery.modules, discovery.issues, registry, moduleProblems);

    registry.setReloader(createReloader({ settings, extension, targets: known, modules: discovery.modules, brokenByDatabase, container, moduleProblems, settingProblems, mayChangeSchema, log: operations }));
    if (options.watchSchema ?? true) {
      scheduler.every(DATABASE_WATCH_JOB, runtime.value.watchIntervalMs, async () => registry.watch(new Set([FRAMEWORK_DATABASE_NAME])));
    }
    // Read-only boots (CLI reads) leave the files exactly as they are.
    if (access === "write" && runtime.value.checkpointIntervalMs > 0) {
      scheduler.every(DATABASE_CHECKPOINT_JOB, runtime.value.checkpointIntervalMs, async () => {
        for (const database of registry.open()) await database.checkpoint();
      });
    }
    const changes = automaticChanges(registry.list(), bootMigrations);
    if (records) {
      await recordBoot({ recorder, operations, modules: statuses(), databases: registry.list(), changes });
      await scheduleOperationsLogPruning(scheduler, operations, runtime.value.operationsLogRetentionDays);
      await scheduleAuditPruning(scheduler, registry, runtime.value.auditRetentionDays);
    }
    claim.update({ state: "ready" });
    const framework = new Framework({ container, databases: registry, settings, moduleStatuses: statuses, issues: discovery.issues, ...(records ? { recorder } : {}), scheduler, cache, claim, operations, automaticChanges: changes, recordsOperations: records, metrics, access: new AccessPolicies(discovery.modules.map((module) => ({ database: module.databaseName, levels: module.access }))), moduleRoutes: discovery.modules.flatMap((module) => (module.routes === undefined ? [] : [{ module: module.name, database: module.databaseName, routes: module.routes }])) });
    container.registerInstance(Framework, framework);
    return framework;
  } catch (error) {
    await registry.closeAll();
    claim.release();
    throw error;
  }
}
