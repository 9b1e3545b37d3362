import type { DependencyContainer, InjectionToken } from "tsyringe";
import type { FrameworkSettings } from "../config/settings";
import type { DatabaseRegistry } from "../database/database-registry";
import type { DiscoveryIssue } from "../discovery/discovery-issue";
import type { Scheduler } from "../scheduler/scheduler";
import type { BootRecorder } from "../system/boot-recorder";
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
   * Stops background jobs, records the shutdown, checkpoints every WAL and closes every DataSource.
   * Calling it again returns the same promise.
   */
  shutdown(): Promise<void> {
    this.stopping ??= (async () => {
      try {
        await this.scheduler.stopAll();
        await this.recorder.shutdown();
      } finally {
        await this.databases.closeAll();
      }
    })();
    return this.stopping;
  }
}
