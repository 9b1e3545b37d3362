import type { DependencyContainer, InjectionToken } from "tsyringe";
import type { AccessPolicies } from "../access/table-access";
import type { CacheManager } from "../cache/cache-manager";
import type { FrameworkSettings } from "../config/settings";
import type { DatabaseRegistry } from "../database/database-registry";
import type { DiscoveryIssue } from "../discovery/discovery-issue";
import type { ModuleRoutesSource } from "../http/modules/register-module-routes";
import type { FrameworkMetrics } from "../metrics/framework-metrics";
import type { HolderClaim } from "../runtime/holder-file";
import type { Scheduler } from "../scheduler/scheduler";
import type { BootRecorder } from "../system/boot-recorder";
import type { OperationsLog } from "../system/operations-log";
import type { AutomaticChange } from "./automatic-changes";
import type { ModuleStatus } from "./module-status";

/** What boot assembled into a {@link Framework}. */
export interface FrameworkParts {
  readonly container: DependencyContainer;
  readonly databases: DatabaseRegistry;
  readonly settings: FrameworkSettings;
  /** Computes every module's health from the registry's current view (it changes when databases reload). */
  readonly moduleStatuses: () => ModuleStatus[];
  readonly issues: readonly DiscoveryIssue[];
  /** Writes boot history; absent for boots that record nothing (CLI commands). */
  readonly recorder?: BootRecorder;
  readonly scheduler: Scheduler;
  readonly cache: CacheManager;
  /** This process' claim on the data dir, withdrawn at shutdown. */
  readonly claim: HolderClaim;
  readonly operations: OperationsLog;
  /** Changes boot applied on its own (migrations run, tables and columns added). */
  readonly automaticChanges: readonly AutomaticChange[];
  /** Whether boot and shutdown are written to the operations log. */
  readonly recordsOperations: boolean;
  /** The generic API's access level of every table (module policies; framework tables hidden). */
  readonly access: AccessPolicies;
  /** What this framework measures (`/metrics`, `moduledb top`). */
  readonly metrics: FrameworkMetrics;
  /** The modules whose `module` file exports `routes` (registered when a server is built). */
  readonly moduleRoutes?: readonly ModuleRoutesSource[];
}

/** A booted framework: its container, its databases, what boot found, and how to stop it. */
export class Framework {
  private stopping: Promise<void> | undefined;
  /** Problems found after boot (a module's routes refused when the server was built), by module. */
  private readonly lateProblems = new Map<string, string>();

  /** This framework's own tsyringe container (a child of the global one). */
  readonly container: DependencyContainer;
  /** Every database, by name. */
  readonly databases: DatabaseRegistry;
  readonly settings: FrameworkSettings;
  /** The discovery rules files broke. */
  readonly issues: readonly DiscoveryIssue[];
  /** Background jobs; stopped first on shutdown. */
  readonly scheduler: Scheduler;
  /** The framework cache (also in the container as `CacheManager`). */
  readonly cache: CacheManager;
  /** The operations log in the framework database (boots, migrations, backups, restores, refusals). */
  readonly operations: OperationsLog;
  /** Every change boot applied on its own, for the boot summary and the log. */
  readonly automaticChanges: readonly AutomaticChange[];
  /** What the generic records API may do with each table (see `framework/access`). */
  readonly access: AccessPolicies;
  /** This framework's metrics registry and slow-statement log (also in the container as `FrameworkMetrics`). */
  readonly metrics: FrameworkMetrics;

  constructor(private readonly parts: FrameworkParts) {
    this.access = parts.access;
    this.metrics = parts.metrics;
    this.container = parts.container;
    this.databases = parts.databases;
    this.settings = parts.settings;
    this.issues = parts.issues;
    this.scheduler = parts.scheduler;
    this.cache = parts.cache;
    this.operations = parts.operations;
    this.automaticChanges = parts.automaticChanges;
  }

  /** Every discovered module with its health, as of now (a database made ready by a reload makes its modules healthy). */
  get modules(): readonly ModuleStatus[] {
    const statuses = this.parts.moduleStatuses();
    if (this.lateProblems.size === 0) return statuses;
    return statuses.map((status) => {
      const problem = this.lateProblems.get(status.name);
      return problem === undefined ? status : { ...status, healthy: false, problems: [...status.problems, problem] };
    });
  }

  /** The modules that export routes, with their databases (see `defineModuleRoutes`). */
  get moduleRoutes(): readonly ModuleRoutesSource[] {
    return this.parts.moduleRoutes ?? [];
  }

  /**
   * Marks `module` unhealthy with `problem` from now on: for what is found after boot, such as
   * routes the server refused to register. Other modules are not affected.
   */
  reportModuleProblem(module: string, problem: string): void {
    this.lateProblems.set(module, problem);
  }

  /** Shorthand for `container.resolve(token)`. */
  resolve<T>(token: InjectionToken<T>): T {
    return this.container.resolve(token);
  }

  /** True when every module is healthy and every database ready. */
  get healthy(): boolean {
    return this.modules.every((module) => module.healthy) && this.databases.list().every((entry) => entry.state === "ready");
  }

  /**
   * Tells other processes where this one serves its HTTP API (written into its holder file), so
   * that `moduledb migration:run` and friends carry out changes through it instead of under it.
   */
  announce(adminUrl: string): void {
    this.parts.claim.update({ state: "serving", admin_url: adminUrl });
  }

  /**
   * Stops background jobs, closes the cache, records the shutdown, checkpoints every WAL, closes
   * every DataSource and withdraws this process' holder file (so `restore` may proceed).
   * Calling it again returns the same promise.
   */
  shutdown(): Promise<void> {
    this.stopping ??= (async () => {
      this.parts.claim.update({ state: "stopping" });
      try {
        await this.scheduler.stopAll();
        await this.cache.close();
        await this.parts.recorder?.shutdown();
        if (this.parts.recordsOperations) await this.operations.record({ kind: "shutdown", outcome: "ok", message: "Framework shut down." });
      } finally {
        await this.databases.closeAll();
        this.parts.claim.release();
      }
    })();
    return this.stopping;
  }
}
