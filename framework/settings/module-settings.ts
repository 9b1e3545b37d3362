import { err, ok, type Result } from "neverthrow";
import { inject, type InjectionToken } from "tsyringe";
import { parseSetting, settingVariable } from "./parse-setting";
import type { SettingSource, SettingsDeclaration, SettingView } from "./setting-types";

/** The container token of a module's resolved settings, derived from the module name. */
export function moduleSettingsToken(module: string): InjectionToken<Readonly<Record<string, string | number | boolean>>> {
  return `moduledb.settings.${module}`;
}

/** Constructor-parameter decorator injecting a module's resolved settings (see {@link moduleSettingsToken}). */
export function InjectModuleSettings(module: string): ParameterDecorator {
  return inject(moduleSettingsToken(module)) as ParameterDecorator;
}

/** A module and what it declares, for {@link resolveModuleSettings}. */
export interface SettingsOwner {
  readonly name: string;
  readonly settings?: SettingsDeclaration;
}

/** A stored value from the framework database's `framework_settings` table. */
export interface StoredSetting {
  readonly module: string;
  readonly key: string;
  readonly value: string;
}

/** A lookup of an unknown module or key, or a value its declaration refuses. */
export interface SettingsLookupError {
  readonly code: "MODULE_NOT_FOUND" | "SETTING_NOT_FOUND" | "INVALID_SETTING";
  readonly message: string;
  readonly details: Readonly<Record<string, unknown>>;
}

interface ModuleEntry {
  readonly declaration: SettingsDeclaration;
  readonly views: SettingView[];
  readonly values: Record<string, string | number | boolean>;
}

/**
 * Every module's settings resolved once at boot: environment first, then the settings table, then
 * the default. A value that fails its declaration becomes the module's problem (naming the key and
 * the variable) and the module is reported unhealthy; other modules are not affected.
 */
export class ModuleSettings {
  /** Use {@link ModuleSettings.resolve}. */
  constructor(private readonly modules: ReadonlyMap<string, ModuleEntry>) {}

  /** Resolves the settings of `owners` from `env` and the stored rows. */
  static resolve(owners: readonly SettingsOwner[], env: Readonly<Record<string, string | undefined>>, stored: readonly StoredSetting[]): ModuleSettings {
    const table = new Map(stored.map((row) => [`${row.module}\u0000${row.key}`, row.value]));
    const modules = new Map<string, ModuleEntry>();
    for (const owner of owners) {
      const views: SettingView[] = [];
      const values: Record<string, string | number | boolean> = {};
      for (const [key, declaration] of Object.entries(owner.settings ?? {})) {
        const variable = settingVariable(owner.name, key);
        const fromEnv = env[variable];
        const fromTable = table.get(`${owner.name}\u0000${key}`);
        const [raw, source]: [string | number | boolean, SettingSource] =
          fromEnv !== undefined && fromEnv.trim() !== "" ? [fromEnv, "env"] : fromTable !== undefined ? [fromTable, "table"] : [declaration.default, "default"];
        const parsed = parseSetting(declaration, raw);
        const value = parsed.isOk() ? parsed.value : declaration.default;
        values[key] = value;
        const where = source === "env" ? `environment variable ${variable}` : `framework_settings row ${owner.name}.${key}`;
        views.push({
          module: owner.name,
          key,
          variable,
          type: declaration.type,
          default: declaration.sensitive === true ? "***" : declaration.default,
          description: declaration.description,
          value: declaration.sensitive === true ? "***" : value,
          source,
          ...(parsed.isErr() ? { problem: `Invalid ${variable}='${declaration.sensitive === true ? "***" : String(raw)}' (setting ${key}, from ${where}): ${parsed.error}.` } : {}),
        });
      }
      modules.set(owner.name, { declaration: owner.settings ?? {}, views, values: Object.freeze(values) });
    }
    return new ModuleSettings(modules);
  }

  /** The modules that declare settings, or all resolved modules. */
  moduleNames(): string[] {
    return [...this.modules.keys()].sort();
  }

  /** The resolved values of one module (defaults in place of invalid ones). */
  values(module: string): Readonly<Record<string, string | number | boolean>> {
    return this.modules.get(module)?.values ?? {};
  }

  /** Why a module's settings are invalid, one sentence per key; empty when they are all valid. */
  problems(module: string): string[] {
    return (this.modules.get(module)?.views ?? []).flatMap((view) => (view.problem === undefined ? [] : [view.problem]));
  }

  /**
   * Checks a value for the settings table against the key's declaration: the text to store, or
   * MODULE_NOT_FOUND / SETTING_NOT_FOUND / INVALID_SETTING naming what is wrong.
   */
  checkStored(module: string, key: string, raw: string): Result<string, SettingsLookupError> {
    const entry = this.modules.get(module);
    if (entry === undefined) return err({ code: "MODULE_NOT_FOUND", message: `Module '${module}' not found. Available modules: ${this.moduleNames().join(", ")}.`, details: { module, available: this.moduleNames() } });
    const declaration = entry.declaration[key];
    const keys = Object.keys(entry.declaration).sort();
    if (declaration === undefined) return err({ code: "SETTING_NOT_FOUND", message: `Module '${module}' has no setting '${key}'. Its settings: ${keys.join(", ") || "none"}.`, details: { module, key, available: keys } });
    const parsed = parseSetting(declaration, raw);
    if (parsed.isErr()) return err({ code: "INVALID_SETTING", message: `Invalid value '${raw}' for setting ${module}.${key}: ${parsed.error}.`, details: { module, key, value: raw } });
    return ok(String(parsed.value));
  }

  /** Every setting of every module (or of one), by module then key. */
  list(module?: string): Result<SettingView[], SettingsLookupError> {
    if (module !== undefined && !this.modules.has(module)) {
      const available = this.moduleNames();
      return err({ code: "MODULE_NOT_FOUND", message: `Module '${module}' not found. Available modules: ${available.join(", ")}.`, details: { module, available } });
    }
    const names = module === undefined ? this.moduleNames() : [module];
    return ok(names.flatMap((name) => [...(this.modules.get(name)?.views ?? [])].sort((a, b) => a.key.localeCompare(b.key))));
  }
}
