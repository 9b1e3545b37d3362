import { err, ok, type Result } from "neverthrow";

/** Environment variable holding the search-cache sweep interval in milliseconds. */
export const CLEANUP_INTERVAL_VARIABLE = "DOCS_CACHE_CLEANUP_INTERVAL_MS";

/** Default sweep interval: once a minute keeps expired rows from piling up without busy work. */
export const DEFAULT_CLEANUP_INTERVAL_MS = 60_000;

const MIN_INTERVAL_MS = 10;
const MAX_INTERVAL_MS = 24 * 60 * 60 * 1000;

/** Reads and checks the sweep interval; a bad value is an error naming the variable. */
export function readCleanupInterval(env: Readonly<Record<string, string | undefined>> = process.env): Result<number, string> {
  const raw = env[CLEANUP_INTERVAL_VARIABLE];
  if (raw === undefined || raw.trim() === "") return ok(DEFAULT_CLEANUP_INTERVAL_MS);
  const value = /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : Number.NaN;
  if (Number.isNaN(value) || value < MIN_INTERVAL_MS || value > MAX_INTERVAL_MS) {
    return err(`Invalid ${CLEANUP_INTERVAL_VARIABLE}='${raw}': expected an integer number of milliseconds between ${MIN_INTERVAL_MS} and ${MAX_INTERVAL_MS}.`);
  }
  return ok(value);
}
