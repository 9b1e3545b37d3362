import path from "node:path";
import { err, ok, Result } from "neverthrow";
import { readEngineTargets, type EngineTargets } from "../engines/engine-targets";

/** SQLite journal modes accepted by `SQLITE_JOURNAL_MODE`. */
export const JOURNAL_MODES = ["WAL", "DELETE", "TRUNCATE", "PERSIST", "MEMORY", "OFF"] as const;
/** SQLite synchronous levels accepted by `SQLITE_SYNCHRONOUS`. */
export const SYNCHRONOUS_LEVELS = ["OFF", "NORMAL", "FULL", "EXTRA"] as const;

/** Connection settings applied to every SQLite connection the framework opens. */
export interface SqliteSettings {
  readonly journalMode: (typeof JOURNAL_MODES)[number];
  readonly synchronous: (typeof SYNCHRONOUS_LEVELS)[number];
  /** SQLite `cache_size`: positive = pages, negative = KiB (the default, -10000, is about 10 MB). */
  readonly cacheSize: number;
  /** Milliseconds SQLite itself waits on a lock before reporting SQLITE_BUSY (blocks the thread, so keep it short). */
  readonly busyTimeoutMs: number;
}

/** Connection settings of every PostgreSQL pool the framework opens. */
export interface PostgresSettings {
  /** `PG_POOL_SIZE`: connections one process keeps at most per database (default 10). */
  readonly poolSize: number;
  /** `PG_STATEMENT_TIMEOUT_MS`: the server cancels a statement running longer (default 5000; 0 = none). */
  readonly statementTimeoutMs: number;
  /** `PG_CONNECT_TIMEOUT_MS`: how long getting a connection (new or from the pool) may take before DATABASE_UNAVAILABLE (default 5000). */
  readonly connectTimeoutMs: number;
}

/** Everything the framework reads from its options and the environment, validated once at boot. */
export interface FrameworkSettings {
  /** The folder holding `modules/`. */
  readonly rootDir: string;
  /** Where the `<DATABASE_NAME>.db` files of SQLite databases live, and the framework's own files (holders, backups). */
  readonly dataDir: string;
  /** Which engine serves each database (`DATABASE_URL`, `DATABASE_URL_<NAME>`); passwords stay inside. */
  readonly engines: EngineTargets;
  /** When true, any discovery or schema problem fails boot instead of marking one module unhealthy. */
  readonly strict: boolean;
  readonly sqlite: SqliteSettings;
  readonly postgres: PostgresSettings;
  /** Retries after SQLITE_BUSY/SQLITE_LOCKED before a caller gets DATABASE_LOCKED. */
  readonly maxRetries: number;
  /** First backoff delay in milliseconds; doubles each retry, with jitter. */
  readonly retryBaseDelayMs: number;
  /** Seconds a boot may spend opening one database before it is reported unavailable. */
  readonly connectionTimeoutSeconds: number;
  /** `MODULEDB_CURSOR_SECRET`: signs keyset cursors so they outlive this process; random per instance when unset. */
  readonly cursorSecret?: string;
}

/** Options a caller may pass to `bootFramework`; anything unset comes from the environment or defaults. */
export interface SettingsOptions {
  readonly rootDir?: string;
  readonly dataDir?: string;
  readonly strict?: boolean;
}

/** A rejected setting: which variable, what it held and what was expected. */
export interface SettingsError {
  readonly code: "INVALID_SETTING";
  readonly variable: string;
  readonly value: string;
  readonly message: string;
}

type Env = Readonly<Record<string, string | undefined>>;

function invalid(variable: string, value: string, expected: string): SettingsError {
  return {
    code: "INVALID_SETTING",
    variable,
    value,
    message: `Invalid ${variable}='${value}': expected ${expected}.`,
  };
}

function readInteger(env: Env, variable: string, fallback: number, min: number, max: number): Result<number, SettingsError> {
  const raw = env[variable];
  if (raw === undefined || raw.trim() === "") return ok(fallback);
  const trimmed = raw.trim();
  if (!/^-?\d+$/.test(trimmed)) return err(invalid(variable, raw, `an integer between ${min} and ${max}`));
  const value = Number(trimmed);
  if (value < min || value > max) return err(invalid(variable, raw, `an integer between ${min} and ${max}`));
  return ok(value);
}

function readChoice<T extends string>(env: Env, variable: string, choices: readonly T[], fallback: T): Result<T, SettingsError> {
  const raw = env[variable];
  if (raw === undefined || raw.trim() === "") return ok(fallback);
  const upper = raw.trim().toUpperCase();
  const match = choices.find((choice) => choice === upper);
  return match === undefined ? err(invalid(variable, raw, `one of ${choices.join(", ")}`)) : ok(match);
}

function readBoolean(env: Env, variable: string, fallback: boolean): Result<boolean, SettingsError> {
  const raw = env[variable];
  if (raw === undefined || raw.trim() === "") return ok(fallback);
  const lower = raw.trim().toLowerCase();
  if (["1", "true", "yes", "on"].includes(lower)) return ok(true);
  if (["0", "false", "no", "off"].includes(lower)) return ok(false);
  return err(invalid(variable, raw, "true or false"));
}

/**
 * Validates options and environment into {@link FrameworkSettings}.
 * The first invalid variable is returned as an error naming it; nothing is opened before this passes.
 */
export function loadSettings(options: SettingsOptions = {}, env: Env = process.env, cwd = process.cwd()): Result<FrameworkSettings, SettingsError> {
  const journalMode = readChoice(env, "SQLITE_JOURNAL_MODE", JOURNAL_MODES, "WAL");
  const synchronous = readChoice(env, "SQLITE_SYNCHRONOUS", SYNCHRONOUS_LEVELS, "NORMAL");
  const numbers = Result.combine([
    readInteger(env, "SQLITE_CACHE_SIZE", -10_000, -1_048_576, 1_048_576),
    readInteger(env, "SQLITE_BUSY_TIMEOUT", 50, 0, 60_000),
    readInteger(env, "DATABASE_MAX_RETRIES", 5, 0, 100),
    readInteger(env, "DATABASE_RETRY_BASE_DELAY", 50, 1, 10_000),
    readInteger(env, "DATABASE_CONNECTION_TIMEOUT", 30, 1, 3_600),
    readInteger(env, "PG_POOL_SIZE", 10, 1, 1_000),
    readInteger(env, "PG_STATEMENT_TIMEOUT_MS", 5_000, 0, 3_600_000),
    readInteger(env, "PG_CONNECT_TIMEOUT_MS", 5_000, 100, 600_000),
  ]);
  const strict = readBoolean(env, "MODULEDB_STRICT", false);
  const cursorSecret = env.MODULEDB_CURSOR_SECRET ?? "";
  if (cursorSecret !== "" && cursorSecret.length < 32) return err(invalid("MODULEDB_CURSOR_SECRET", "(hidden)", "at least 32 characters"));
  if (journalMode.isErr()) return err(journalMode.error);
  if (synchronous.isErr()) return err(synchronous.error);
  if (numbers.isErr()) return err(numbers.error);
  if (strict.isErr()) return err(strict.error);
  const [cacheSize, busyTimeoutMs, maxRetries, retryBaseDelayMs, connectionTimeoutSeconds, poolSize, statementTimeoutMs, connectTimeoutMs] = numbers.value as [number, number, number, number, number, number, number, number];
  const baseDir = path.resolve(cwd, options.dataDir ?? env.DATABASE_DIR ?? "data");
  const targets = readEngineTargets(env, baseDir, cwd);
  if (targets.isErr()) return err(targets.error);
  // An explicit dataDir option wins over the folder of a sqlite:/// URL, as it wins over DATABASE_DIR.
  const fallback = targets.value.fallback;
  const dataDir = options.dataDir === undefined && fallback.kind === "sqlite" ? fallback.dataDir : baseDir;
  const engines: EngineTargets = fallback.kind === "sqlite" ? { ...targets.value, fallback: { kind: "sqlite", dataDir } } : targets.value;
  return ok({
    rootDir: path.resolve(cwd, options.rootDir ?? env.MODULEDB_ROOT ?? defaultRootDir()),
    dataDir,
    engines,
    strict: options.strict ?? strict.value,
    sqlite: { journalMode: journalMode.value, synchronous: synchronous.value, cacheSize, busyTimeoutMs },
    postgres: { poolSize, statementTimeoutMs, connectTimeoutMs },
    maxRetries,
    retryBaseDelayMs,
    connectionTimeoutSeconds,
    ...(cursorSecret === "" ? {} : { cursorSecret }),
  });
}

/**
 * The folder that holds `modules/` next to this framework: the repository root when running
 * from source, `dist/` when running the compiled build.
 */
export function defaultRootDir(): string {
  return path.resolve(__dirname, "..", "..");
}

/** The extension of this framework's own files: `.ts` under the test runner, `.js` from a build. */
export function runtimeExtension(): ".ts" | ".js" {
  return __filename.endsWith(".ts") ? ".ts" : ".js";
}
