import { err, ok, type Result } from "neverthrow";
import type { SettingsError } from "../config/settings";

/** Default `SLOW_QUERY_MS`. */
export const DEFAULT_SLOW_QUERY_MS = 200;

/** Observability settings read from the environment at boot. */
export interface MetricsSettings {
  /**
   * `SLOW_QUERY_MS` (default 200): a statement that takes at least this many milliseconds is logged
   * once (database, SQL without values, duration, request id) and counted in
   * `moduledb_slow_statements_total`; 0 turns the log off.
   */
  readonly slowQueryMs: number;
}

type Env = Readonly<Record<string, string | undefined>>;

/** Validates the observability variables; an invalid one is returned as an error naming it. */
export function loadMetricsSettings(env: Env = process.env): Result<MetricsSettings, SettingsError> {
  const raw = env.SLOW_QUERY_MS;
  if (raw === undefined || raw.trim() === "") return ok({ slowQueryMs: DEFAULT_SLOW_QUERY_MS });
  const value = Number(raw.trim());
  if (!/^\d+$/.test(raw.trim()) || value > 3_600_000) {
    return err({ code: "INVALID_SETTING", variable: "SLOW_QUERY_MS", value: raw, message: `Invalid SLOW_QUERY_MS='${raw}': expected an integer between 0 and 3600000 (milliseconds; 0 turns the slow-statement log off).` });
  }
  return ok({ slowQueryMs: value });
}
