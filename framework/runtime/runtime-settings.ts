import { err, ok, type Result } from "neverthrow";
import type { SettingsError } from "../config/settings";

/** Settings of the live-operations machinery, read from the environment at boot. */
export interface RuntimeSettings {
  /**
   * `DATABASE_WATCH_INTERVAL_MS` (default 1000): how often a running framework looks for schema
   * changes made under it by other processes (`PRAGMA schema_version`; for a database it refused,
   * also the applied migrations) and re-checks the databases concerned.
   */
  readonly watchIntervalMs: number;
  /**
   * `OPERATIONS_LOG_RETENTION_DAYS` (default 90): operations-log entries older than this are
   * deleted by the scheduler job `operations-log:prune`; 0 keeps them forever.
   */
  readonly operationsLogRetentionDays: number;
  /**
   * `AUDIT_RETENTION_DAYS` (default 90): rows of every database's audit trail (`moduledb_audit`)
   * older than this are deleted by the scheduler job `audit:prune`; 0 keeps them forever.
   */
  readonly auditRetentionDays: number;
  /**
   * `WAL_CHECKPOINT_INTERVAL_MS` (default 60000): how often the scheduler job `databases:checkpoint`
   * copies each database's WAL into its main file (a PASSIVE checkpoint, which waits for nobody);
   * 0 leaves checkpoints to SQLite's own automatic ones.
   */
  readonly checkpointIntervalMs: number;
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

/** Validates the runtime variables; the first invalid one is returned as an error naming it. */
export function loadRuntimeSettings(env: Env = process.env): Result<RuntimeSettings, SettingsError> {
  const watch = integer(env, "DATABASE_WATCH_INTERVAL_MS", 1_000, 50, 3_600_000);
  if (watch.isErr()) return err(watch.error);
  const retention = integer(env, "OPERATIONS_LOG_RETENTION_DAYS", 90, 0, 36_500);
  if (retention.isErr()) return err(retention.error);
  const checkpoint = integer(env, "WAL_CHECKPOINT_INTERVAL_MS", 60_000, 0, 86_400_000);
  if (checkpoint.isErr()) return err(checkpoint.error);
  const audit = integer(env, "AUDIT_RETENTION_DAYS", 90, 0, 36_500);
  if (audit.isErr()) return err(audit.error);
  return ok({ watchIntervalMs: watch.value, operationsLogRetentionDays: retention.value, checkpointIntervalMs: checkpoint.value, auditRetentionDays: audit.value });
}
