/**
 * Module settings as seed 003 declares them: a module exports `settings` from its `module` file,
 * one entry per key with its `type`, `default` and `description`. Values come from the
 * environment (`<MODULE>_<KEY>`), else the framework database's `framework_settings` table, else
 * the default; they are checked at boot and injected into the module's services.
 */

/** The types a setting may have. `integer` is a whole number; `number` any finite number. */
export const SETTING_TYPES = ["string", "number", "integer", "boolean"] as const;
/** A setting's type. */
export type SettingType = (typeof SETTING_TYPES)[number];

interface SettingValueOf {
  string: string;
  number: number;
  integer: number;
  boolean: boolean;
}

/** One declared setting. */
export interface SettingDeclaration<T extends SettingType = SettingType> {
  readonly type: T;
  readonly default: SettingValueOf[T];
  /** What the setting controls, in a sentence (shown by `moduledb settings`). */
  readonly description: string;
  /** Smallest allowed value (number, integer). */
  readonly min?: number;
  /** Largest allowed value (number, integer). */
  readonly max?: number;
  /** The only values allowed (string). */
  readonly choices?: readonly string[];
  /** When true the value is listed as `***` (tokens, passwords). */
  readonly sensitive?: boolean;
}

/** A module's `settings` export: keys are upper-case words joined by `_` (`CACHE_CLEANUP_INTERVAL_MS`). */
export type SettingsDeclaration = Readonly<Record<string, SettingDeclaration>>;

/** The resolved values of a declaration, typed from it. */
export type SettingsValues<D extends SettingsDeclaration> = { readonly [K in keyof D]: SettingValueOf[D[K]["type"]] };

/** Where a setting's current value came from. */
export type SettingSource = "env" | "table" | "default";

/** One setting as listed by `moduledb settings` and `GET /api/v1/db/settings`. */
export interface SettingView {
  readonly module: string;
  readonly key: string;
  /** The environment variable that sets it. */
  readonly variable: string;
  readonly type: SettingType;
  readonly default: string | number | boolean;
  readonly description: string;
  /** The value in force (`***` for a sensitive one); the default when the given value is invalid. */
  readonly value: string | number | boolean;
  readonly source: SettingSource;
  /** The raw value that was refused, and why; the module is unhealthy while this is set. */
  readonly problem?: string;
}

/**
 * Declares a module's settings with their types kept, so `SettingsValues<typeof settings>` is the
 * type the module's services receive. Only a typing aid: returns its argument.
 */
export function defineSettings<const D extends Readonly<Record<string, SettingDeclaration<SettingType>>>>(declaration: D & { readonly [K in keyof D]: SettingDeclaration<D[K]["type"]> }): D {
  return declaration;
}
