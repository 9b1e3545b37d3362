import { err, ok, type Result } from "neverthrow";
import { CONFIG_TYPES, type ConfigType } from "../entities/system-configuration";
import { invalidInput, scraperError, type ScraperError } from "../support/scraper-error";

/** A JSON value. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A configuration value with the type that decided how it was read. */
export type TypedConfigValue =
  | { readonly type: "string"; readonly value: string }
  | { readonly type: "integer"; readonly value: number }
  | { readonly type: "boolean"; readonly value: boolean }
  | { readonly type: "json"; readonly value: JsonValue };

/** True for a known config type. */
export function isConfigType(value: unknown): value is ConfigType {
  return CONFIG_TYPES.includes(value as ConfigType);
}

/** The type a value would be stored as when the caller does not say. */
export function inferConfigType(value: unknown): ConfigType {
  if (typeof value === "string") return "string";
  if (typeof value === "boolean") return "boolean";
  if (typeof value === "number" && Number.isSafeInteger(value)) return "integer";
  return "json";
}

/** Turns a value into its stored text, refusing values that do not fit the declared type. */
export function serializeConfigValue(type: ConfigType, value: unknown): Result<string, ScraperError> {
  switch (type) {
    case "string":
      return typeof value === "string" ? ok(value) : err(invalidInput("value", "must be a string for config_type 'string'."));
    case "integer":
      return typeof value === "number" && Number.isSafeInteger(value) ? ok(String(value)) : err(invalidInput("value", "must be a safe integer for config_type 'integer'."));
    case "boolean":
      return typeof value === "boolean" ? ok(String(value)) : err(invalidInput("value", "must be true or false for config_type 'boolean'."));
    case "json": {
      const text = value === undefined ? undefined : JSON.stringify(value);
      return text === undefined ? err(invalidInput("value", "must be a JSON value for config_type 'json'.")) : ok(text);
    }
  }
}

/**
 * Reads stored text by its `config_type`. Text that does not parse (say, written around the
 * service) is INVALID_CONFIG_VALUE naming the key, never a silently wrong value.
 */
export function parseConfigValue(key: string, type: string | null, text: string | null): Result<TypedConfigValue, ScraperError> {
  const declared = type ?? "string";
  const invalid = (expected: string) => err(scraperError("INVALID_CONFIG_VALUE", `Config '${key}' is declared ${declared} but holds ${JSON.stringify(text)} (${expected}).`, { key, config_type: declared }));
  if (!isConfigType(declared)) return invalid(`config_type must be one of ${CONFIG_TYPES.join(", ")}`);
  if (text === null) return invalid("no value");
  switch (declared) {
    case "string":
      return ok({ type: "string", value: text });
    case "integer":
      return /^-?\d+$/.test(text) && Number.isSafeInteger(Number(text)) ? ok({ type: "integer", value: Number(text) }) : invalid("expected an integer");
    case "boolean":
      return text === "true" || text === "false" ? ok({ type: "boolean", value: text === "true" }) : invalid("expected true or false");
    case "json":
      try {
        return ok({ type: "json", value: JSON.parse(text) as JsonValue });
      } catch {
        return invalid("expected JSON");
      }
  }
}
