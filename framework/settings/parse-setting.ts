import { err, ok, type Result } from "neverthrow";
import type { SettingDeclaration } from "./setting-types";

/** The environment variable of a module's setting: `<MODULE>_<KEY>`, the module name upper-cased with `-` as `_`. */
export function settingVariable(module: string, key: string): string {
  return `${module.toUpperCase().replace(/[^A-Z0-9]+/g, "_")}_${key}`;
}

/** Keys are upper-case words joined by underscores, so the variable name is predictable. */
export const SETTING_KEY_PATTERN = /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/;

function range(declaration: SettingDeclaration): string {
  if (declaration.min !== undefined && declaration.max !== undefined) return ` from ${declaration.min} to ${declaration.max}`;
  if (declaration.min !== undefined) return ` of at least ${declaration.min}`;
  if (declaration.max !== undefined) return ` of at most ${declaration.max}`;
  return "";
}

/** Checks a value (from the environment, the table, or a default) against its declaration; the error says what was expected. */
export function parseSetting(declaration: SettingDeclaration, raw: string | number | boolean): Result<string | number | boolean, string> {
  const text = String(raw).trim();
  switch (declaration.type) {
    case "boolean": {
      if (typeof raw === "boolean") return ok(raw);
      if (/^(true|1|yes|on)$/i.test(text)) return ok(true);
      if (/^(false|0|no|off)$/i.test(text)) return ok(false);
      return err("expected a boolean (true/false, 1/0, yes/no, on/off)");
    }
    case "number":
    case "integer": {
      const value = typeof raw === "number" ? raw : text === "" ? Number.NaN : Number(text);
      const integer = declaration.type === "integer";
      const expected = `expected ${integer ? "an integer" : "a number"}${range(declaration)}`;
      if (!Number.isFinite(value) || (integer && !Number.isInteger(value))) return err(expected);
      if ((declaration.min !== undefined && value < declaration.min) || (declaration.max !== undefined && value > declaration.max)) return err(expected);
      return ok(value);
    }
    case "string": {
      const value = String(raw);
      if (declaration.choices !== undefined && !declaration.choices.includes(value)) return err(`expected one of ${declaration.choices.join(", ")}`);
      return ok(value);
    }
  }
}
