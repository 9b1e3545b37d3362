import { bootFramework, type BootOptions } from "../boot/boot-framework";
import type { Framework } from "../boot/framework";
import { loadSettings, type FrameworkSettings, type SettingsOptions } from "../config/settings";
import { CliFailure } from "./exit-codes";

/**
 * How a command uses the databases. `read` commands change nothing (no migrations, no additive
 * schema changes, no records); `write` commands change data and never touch the schema of a
 * database another live process holds.
 */
export type CommandAccess = "read" | "write";

const BOOT_OPTIONS: Readonly<Record<CommandAccess, BootOptions>> = {
  read: { access: "read", role: "cli", runMigrations: false, recordBoot: false, watchSchema: false },
  write: { access: "write", role: "cli", runMigrations: false, recordBoot: false, leaveHeldSchemas: true, watchSchema: false },
};

/**
 * Shared state of one CLI run: the `--root`/`--data` options every command honours, the framework
 * booted on first use (in the command's access mode) and shut down at the end. CLI boots never add
 * boot records; what write commands do goes to the operations log instead.
 */
export class CliContext {
  private framework: Promise<Framework> | undefined;
  private paths: SettingsOptions = {};

  /** Sets `--root` / `--data`; only before the first boot. */
  configure(options: SettingsOptions): void {
    if (this.framework !== undefined) throw new Error("CliContext.configure() called after boot.");
    this.paths = { ...this.paths, ...options };
  }

  /** The validated settings with `--root`/`--data` applied, for commands that work on the files without booting. */
  settings(): FrameworkSettings {
    const loaded = loadSettings(this.paths);
    if (loaded.isErr()) throw new CliFailure(loaded.error.code, loaded.error.message, { variable: loaded.error.variable });
    return loaded.value;
  }

  /** The booted framework (booted once, on first call, in the first caller's access mode). */
  boot(access: CommandAccess = "read"): Promise<Framework> {
    this.framework ??= bootFramework({ ...BOOT_OPTIONS[access], ...this.paths });
    return this.framework;
  }

  /** Shuts the framework down if it was booted. */
  async close(): Promise<void> {
    if (this.framework === undefined) return;
    const framework = await this.framework.catch(() => undefined);
    await framework?.shutdown();
  }
}
