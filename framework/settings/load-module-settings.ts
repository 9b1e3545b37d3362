import type { DependencyContainer } from "tsyringe";
import type { ModuleDatabase } from "../database/module-database";
import type { DiscoveredModule } from "../discovery/discovered-module";
import { SettingRecord } from "../system/system-entities";
import { ModuleSettings, moduleSettingsToken, type StoredSetting } from "./module-settings";

async function storedSettings(framework: ModuleDatabase): Promise<StoredSetting[]> {
  const rows = await framework.dataSource.getRepository(SettingRecord).find({ order: { module: "ASC", key: "ASC" } });
  return rows.map((row) => ({ module: row.module, key: row.key, value: row.value }));
}

/**
 * Resolves every discovered module's settings (environment, then the framework database's
 * `framework_settings` table, then defaults), registers the resolved {@link ModuleSettings} and,
 * per module, its values under {@link moduleSettingsToken}. Returns the modules whose settings are
 * invalid with the problem to report: those modules are unhealthy, their services are not built.
 */
export async function loadModuleSettings(
  container: DependencyContainer,
  modules: readonly DiscoveredModule[],
  framework: ModuleDatabase,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<Map<string, string>> {
  const settings = ModuleSettings.resolve(modules, env, await storedSettings(framework));
  container.registerInstance(ModuleSettings, settings);
  const problems = new Map<string, string>();
  for (const module of modules) {
    container.register(moduleSettingsToken(module.name), { useValue: settings.values(module.name) });
    const invalid = settings.problems(module.name);
    if (invalid.length > 0) problems.set(module.name, `${module.name}: ${invalid.join(" ")}`);
  }
  return problems;
}
