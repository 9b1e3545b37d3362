import { parseSetting, SETTING_KEY_PATTERN } from "./parse-setting";
import { SETTING_TYPES, type SettingDeclaration, type SettingsDeclaration } from "./setting-types";

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Checks a module's `settings` export: an object of upper-case keys, each with a known `type`, a
 * `default` of that type (within its bounds) and a `description`. Returns the first problem in
 * words, or the declaration.
 */
export function checkSettingsDeclaration(value: unknown): { declaration: SettingsDeclaration } | { problem: string } {
  if (!isRecord(value)) return { problem: "`settings` must be an object of { KEY: { type, default, description } }." };
  for (const [key, entry] of Object.entries(value)) {
    if (!SETTING_KEY_PATTERN.test(key)) return { problem: `setting key '${key}' must be upper-case words joined by underscores (e.g. CACHE_TTL_SECONDS).` };
    if (!isRecord(entry)) return { problem: `setting ${key} must be an object { type, default, description }.` };
    if (typeof entry.type !== "string" || !(SETTING_TYPES as readonly string[]).includes(entry.type)) return { problem: `setting ${key}: type must be one of ${SETTING_TYPES.join(", ")}.` };
    if (typeof entry.description !== "string" || entry.description.trim() === "") return { problem: `setting ${key}: description must be a non-empty string.` };
    const declared = entry as unknown as SettingDeclaration;
    const expectedJs = declared.type === "integer" ? "number" : declared.type;
    if (typeof entry.default !== expectedJs) return { problem: `setting ${key}: default must be a ${declared.type}.` };
    const parsed = parseSetting(declared, declared.default);
    if (parsed.isErr()) return { problem: `setting ${key}: default ${JSON.stringify(declared.default)} is invalid: ${parsed.error}.` };
  }
  return { declaration: value as SettingsDeclaration };
}
