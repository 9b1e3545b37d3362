import { bootFramework } from "../../framework/boot/boot-framework";
import type { Framework } from "../../framework/boot/framework";
import type { ModuleDatabase } from "../../framework/database/module-database";
import { createModuleRoot } from "./module-root";
import type { TempRoot } from "./temp-root";

/** A framework booted on a temporary root holding copies of real modules. */
export interface BootedModules {
  readonly framework: Framework;
  readonly temp: TempRoot;
  /** The open database of that name; throws when it is not ready (a test bug, not a result to check). */
  database(name: string): ModuleDatabase;
  /** Shuts the framework down and removes the root. */
  close(): Promise<void>;
}

/** Boots the framework (strict) on a fresh root with copies of `modules`. */
export async function bootModules(prefix: string, modules: readonly string[]): Promise<BootedModules> {
  const temp = createModuleRoot(prefix, modules);
  const framework = await bootFramework({ rootDir: temp.root, dataDir: temp.dataDir, strict: true });
  return {
    framework,
    temp,
    database(name) {
      const found = framework.databases.get(name);
      if (found.isErr()) throw new Error(found.error.message);
      return found.value;
    },
    async close() {
      await framework.shutdown();
      temp.remove();
    },
  };
}
