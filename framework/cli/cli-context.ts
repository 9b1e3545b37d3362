import { bootFramework, type BootOptions } from "../boot/boot-framework";
import type { Framework } from "../boot/framework";

/** Shared state of one CLI run: boots the framework on first use and shuts it down at the end. */
export class CliContext {
  private framework: Promise<Framework> | undefined;

  /** The CLI never migrates as a side effect of booting: only `migration:run` applies migrations. */
  constructor(private options: BootOptions = { runMigrations: false }) {}

  /** Sets boot options from the command line (`--root`, `--data`); only before the first boot. */
  configure(options: BootOptions): void {
    if (this.framework !== undefined) throw new Error("CliContext.configure() called after boot.");
    this.options = { ...this.options, ...options };
  }

  /** The booted framework (booted once, on first call). */
  boot(): Promise<Framework> {
    this.framework ??= bootFramework(this.options);
    return this.framework;
  }

  /** Shuts the framework down if it was booted. */
  async close(): Promise<void> {
    if (this.framework === undefined) return;
    const framework = await this.framework.catch(() => undefined);
    await framework?.shutdown();
  }
}
