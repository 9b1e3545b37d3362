import type { DependencyContainer } from "tsyringe";
import type { FrameworkSettings } from "../config/settings";
import { registerDatabase, registerServices } from "../container/register-container";
import type { DatabaseEntry, DatabaseReloader } from "../database/database-registry";
import type { DiscoveredModule } from "../discovery/discovered-module";
import type { MigrationTarget } from "../migrations/migration-target";
import type { OperationsLog } from "../system/operations-log";
import { checkServices, runStartHooks } from "./module-activation";
import { prepareDatabase } from "./prepare-database";

/** What re-evaluating a database needs from the boot that made the framework. */
export interface ReloadContext {
  readonly settings: FrameworkSettings;
  readonly extension: ".ts" | ".js";
  readonly targets: readonly MigrationTarget[];
  readonly modules: readonly DiscoveredModule[];
  /** Modules that failed discovery, by the database they used before (their tables are kept). */
  readonly brokenByDatabase: ReadonlyMap<string, readonly string[]>;
  readonly container: DependencyContainer;
  /** Problems found while activating modules (services, start hooks), by module; updated here. */
  readonly moduleProblems: Map<string, string>;
  /** Modules whose settings were invalid at boot: they stay unhealthy (settings are read once). */
  readonly settingProblems: ReadonlyMap<string, string>;
  /** Whether this process may apply additive schema changes to a database. */
  readonly mayChangeSchema: (database: string) => boolean;
  readonly log?: OperationsLog;
}

/**
 * Builds the registry's reloader. Re-evaluating never runs migrations (that is `migration:run`'s
 * job) but does everything else boot does: checks pending migrations, diffs the schema against the
 * entities, applies additive changes where allowed. A database that becomes ready for the first
 * time in this process is registered in the container with its repositories, its modules'
 * services are checked and their start hooks run, as boot would have done. State changes are
 * written to the operations log. Refusals for faults (a code other than DATABASE_UNAVAILABLE) are
 * kept as they are.
 */
export function createReloader(context: ReloadContext): DatabaseReloader {
  const targets = new Map(context.targets.map((target) => [target.database, target]));
  return async (entry: DatabaseEntry): Promise<DatabaseEntry> => {
    const target = targets.get(entry.name);
    // The framework's own database changes only with the framework's code; nothing to re-check.
    if (target === undefined || target.modules.length === 0) return entry;
    // A refusal with a code of its own (a corrupt or emptied file) is a fault, not a schema
    // question: a schema check could even "repair" an emptied file by creating empty tables. It
    // stays until an operator acts (restore, restart).
    if (entry.refusal !== undefined && entry.refusal.code !== "DATABASE_UNAVAILABLE") return entry;
    const prepared = await prepareDatabase(target, context.brokenByDatabase.get(entry.name) ?? [], context.settings, context.extension, {
      runMigrations: false,
      applySchema: context.mayChangeSchema(entry.name),
      ...(entry.database === undefined ? {} : { existing: entry.database }),
    });
    const next = prepared.entry;
    if (next.state === "ready" && entry.database === undefined && next.database !== undefined) {
      const modules = context.modules.filter((module) => module.databaseName === entry.name && !context.settingProblems.has(module.name));
      registerDatabase(context.container, next.database);
      registerServices(context.container, modules);
      for (const module of modules) context.moduleProblems.delete(module.name);
      const serviceProblems = checkServices(context.container, modules);
      const hookProblems = await runStartHooks(context.container, modules.filter((module) => !serviceProblems.has(module.name)));
      for (const [module, problem] of [...serviceProblems, ...hookProblems]) context.moduleProblems.set(module, problem);
    }
    if (next.state !== entry.state || next.applied.length > 0) {
      const ready = next.state === "ready";
      await context.log?.record({
        kind: ready ? "database.ready" : "database.refused",
        outcome: ready ? "ok" : "refused",
        database: entry.name,
        message: ready
          ? `Database '${entry.name}' re-checked and ready (was ${entry.state})${next.applied.length > 0 ? `; applied: ${next.applied.map((change) => change.description).join(" ")}` : "."}`
          : next.problems.join(" ") || `Database '${entry.name}' is ${next.state}.`,
        details: { previous_state: entry.state, state: next.state, applied: next.applied.map((change) => change.description), problems: next.problems },
      });
    }
    return next;
  };
}
