import { err, ok, type Result } from "neverthrow";
import type { SettingsError } from "../config/settings";
import { DEFAULT_COMPRESSION_THRESHOLD } from "./cache-manager";

/** Cache configuration read from the environment at boot. */
export interface CacheSettings {
  /** `REDIS_URL`: when set, the Redis backend is used; otherwise the embedded one. */
  readonly redisUrl?: string;
  /** `CACHE_COMPRESSION_THRESHOLD`: bytes of JSON above which values are gzip-compressed (default 1024). */
  readonly compressionThresholdBytes: number;
  /** `CACHE_CLEANUP_INTERVAL`: seconds between deletions of expired embedded entries (default 60). */
  readonly cleanupIntervalSeconds: number;
  /** `CACHE_TIMEOUT_MS`: milliseconds a Redis connection attempt or command may take (default 500). */
  readonly timeoutMs: number;
}

type Env = Readonly<Record<string, string | undefined>>;

function integer(env: Env, variable: string, fallback: number, min: number, max: number): Result<number, SettingsError> {
  const raw = env[variable];
  if (raw === undefined || raw.trim() === "") return ok(fallback);
  const value = Number(raw.trim());
  if (!/^\d+$/.test(raw.trim()) || value < min || value > max) {
    return err({ code: "INVALID_SETTING", variable, value: raw, message: `Invalid ${variable}='${raw}': expected an integer between ${min} and ${max}.` });
  }
  return ok(value);
}

/** Validates the cache variables; the first invalid one is returned as an error naming it. */
export function loadCacheSettings(env: Env = process.env): Result<CacheSettings, SettingsError> {
  const redisUrl = env.REDIS_URL?.trim();
  if (redisUrl !== undefined && redisUrl !== "" && !/^rediss?:\/\/.+/.test(redisUrl)) {
    return err({ code: "INVALID_SETTING", variable: "REDIS_URL", value: redisUrl, message: `Invalid REDIS_URL='${redisUrl}': expected redis://host:port[/db] or rediss://...` });
  }
  const threshold = integer(env, "CACHE_COMPRESSION_THRESHOLD", DEFAULT_COMPRESSION_THRESHOLD, 0, 1 << 30);
  if (threshold.isErr()) return err(threshold.error);
  const cleanup = integer(env, "CACHE_CLEANUP_INTERVAL", 60, 1, 86_400);
  if (cleanup.isErr()) return err(cleanup.error);
  const timeout = integer(env, "CACHE_TIMEOUT_MS", 500, 10, 60_000);
  if (timeout.isErr()) return err(timeout.error);
  const settings = { compressionThresholdBytes: threshold.value, cleanupIntervalSeconds: cleanup.value, timeoutMs: timeout.value };
  return ok(redisUrl === undefined || redisUrl === "" ? settings : { ...settings, redisUrl });
}
