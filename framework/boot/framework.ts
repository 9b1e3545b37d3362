import type { DependencyContainer, InjectionToken } from "tsyringe";
import type { FrameworkSettings } from "../config/settings";
import type { DatabaseRegistry } from "../database/database-registry";
import type { DiscoveryIssue } from "../discovery/discovery-issue";
import type { Scheduler } from "../scheduler/scheduler";
import type { BootRecorder } from "../system/boot-recorder";
import type { CacheManager } from "../cache/cache-manager";
import { removeHolderFile } from "../runtime/holder-file";
import type { ModuleStatus } from "./module-status";

/** A booted framework: its container, its databases, what boot found, and how to stop it. */
export class Framework {
  private stopping: Promise<void> | undefined;

  constructor(
    /** This framework's own tsyringe container (a child of the global one). */
    readonly container: DependencyContainer,
    /** Every database, by name. */
    readonly databases: DatabaseRegistry,
    readonly settings: FrameworkSettings,
    /** Every discovered module with its health. */
    readonly modules: readonly ModuleStatus[],
    /** The discovery rules files broke. */
    readonly issues: readonly DiscoveryIssue[],
    private readonly recorder: BootRecorder,
    /** Background jobs; stopped first on shutdown. */
    readonly scheduler: Scheduler,
    /** The framework cache (also in the container as `CacheManager`). */
    readonly cache: CacheManager,
    /** This process' holder file in the data dir, removed at shutdown. */
    private readonly holderFile: string,
  ) {}

  /** Shorthand for `container.resolve(token)`. */
  resolve<T>(token: InjectionToken<T>): T {
    return this.container.resolve(token);
  }

  /** True when every module is healthy and every database ready. */
  get healthy(): boolean {
    return this.modules.every((module) => module.healthy) && this.databases.list().every((entry) => entry.state === "ready");
  }

  /**
   * Stops background jobs, closes the cache, records the shutdown, checkpoints every WAL, closes
   * every DataSource and withdraws this process' holder file (so `restore` may proceed).
   * Calling it again returns the same promise.
   */
  shutdown(): Promise<void> {
    this.stopping ??= (async () => {
      try {
        await this.scheduler.stopAll();
        await this.cache.close();
        await this.recorder.shutdown();
      } finally {
        await this.databases.closeAll();
        removeHolderFile(this.holderFile);
      }
    })();
    return this.stopping;
  }
}
