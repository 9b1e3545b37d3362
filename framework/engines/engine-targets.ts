import path from "node:path";
import { err, ok, type Result } from "neverthrow";
import type { EngineKind } from "./engine";

/** Where the databases of one engine live, as `DATABASE_URL` (or `DATABASE_URL_<NAME>`) said. */
export type EngineTarget = SqliteTarget | PostgresTarget;

/** SQLite: one `<DATABASE_NAME>.db` file per database in `dataDir`. */
export interface SqliteTarget {
  readonly kind: Extract<EngineKind, "sqlite">;
  readonly dataDir: string;
}

/** PostgreSQL: one schema per `DATABASE_NAME` (or the `?schema=` of the URL) on one server. */
export interface PostgresTarget {
  readonly kind: Extract<EngineKind, "postgres">;
  /** The connection string as given, password included: hand it to the driver only, never print it. */
  readonly url: string;
  /** The same URL with the password replaced by `***`: the only form that may reach logs, status or errors. */
  readonly display: string;
  /** `?schema=` of the URL: the schema to use instead of the `DATABASE_NAME`. */
  readonly schema?: string;
}

/** The engine of every database: the default and any `DATABASE_URL_<NAME>` overrides. */
export interface EngineTargets {
  readonly fallback: EngineTarget;
  /** Keyed by `DATABASE_NAME` (the variable's suffix, lower-cased). */
  readonly byDatabase: Readonly<Record<string, EngineTarget>>;
}

/** A rejected URL variable; the same shape as every other INVALID_SETTING. */
export interface UrlSettingError {
  readonly code: "INVALID_SETTING";
  readonly variable: string;
  readonly value: string;
  readonly message: string;
}

type Env = Readonly<Record<string, string | undefined>>;

const PER_DATABASE_PREFIX = "DATABASE_URL_";

/** `raw` with any password replaced by `***`, also when it does not parse as a URL. */
export function redactUrl(raw: string): string {
  try {
    const url = new URL(raw);
    if (url.password !== "") url.password = "***";
    return url.toString();
  } catch {
    return raw.replace(/(\/\/[^/:@]*:)[^@/]*@/, "$1***@");
  }
}

function invalidUrl(variable: string, raw: string, why: string): UrlSettingError {
  const value = redactUrl(raw);
  return {
    code: "INVALID_SETTING",
    variable,
    value,
    message: `Invalid ${variable}='${value}': ${why}; expected sqlite:///<folder>/ or postgres://user:password@host:port/database[?schema=name].`,
  };
}

function sqliteDir(url: URL, fallbackDir: string, cwd: string): string {
  // sqlite:///abs/dir/ gives "/abs/dir/"; sqlite://./data gives host "." and path "/data".
  const folder = `${url.host}${decodeURIComponent(url.pathname)}`;
  return folder === "" || folder === "/" ? fallbackDir : path.resolve(cwd, folder);
}

/** Parses one URL variable into the engine target it names. */
export function parseEngineUrl(variable: string, raw: string, fallbackDir: string, cwd: string): Result<EngineTarget, UrlSettingError> {
  const trimmed = raw.trim();
  if (trimmed === "") return ok({ kind: "sqlite", dataDir: fallbackDir });
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return err(invalidUrl(variable, raw, "not a URL"));
  }
  if (url.protocol === "sqlite:") return ok({ kind: "sqlite", dataDir: sqliteDir(url, fallbackDir, cwd) });
  if (url.protocol === "postgres:" || url.protocol === "postgresql:") {
    if (url.hostname === "" && !url.searchParams.has("host")) return err(invalidUrl(variable, raw, "no server host"));
    const schema = url.searchParams.get("schema") ?? undefined;
    if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) return err(invalidUrl(variable, raw, `schema '${schema}' is not a lower-case identifier`));
    return ok({ kind: "postgres", url: trimmed, display: redactUrl(trimmed), ...(schema === undefined ? {} : { schema }) });
  }
  return err(invalidUrl(variable, raw, `unknown engine '${url.protocol.replace(/:$/, "")}'`));
}

/**
 * Reads `DATABASE_URL` and every `DATABASE_URL_<NAME>` from the environment. An unset
 * `DATABASE_URL` means SQLite files in `fallbackDir` (`DATABASE_DIR`, else `./data`).
 */
export function readEngineTargets(env: Env, fallbackDir: string, cwd: string): Result<EngineTargets, UrlSettingError> {
  const fallback = parseEngineUrl("DATABASE_URL", env.DATABASE_URL ?? "", fallbackDir, cwd);
  if (fallback.isErr()) return err(fallback.error);
  const byDatabase: Record<string, EngineTarget> = {};
  for (const [variable, raw] of Object.entries(env).sort(([a], [b]) => a.localeCompare(b))) {
    if (!variable.startsWith(PER_DATABASE_PREFIX) || raw === undefined) continue;
    const name = variable.slice(PER_DATABASE_PREFIX.length).toLowerCase();
    if (!/^[a-z][a-z0-9_]{0,62}$/.test(name)) return err(invalidUrl(variable, raw, `'${name}' is not a DATABASE_NAME`));
    const target = parseEngineUrl(variable, raw, fallback.value.kind === "sqlite" ? fallback.value.dataDir : fallbackDir, cwd);
    if (target.isErr()) return err(target.error);
    byDatabase[name] = target.value;
  }
  return ok({ fallback: fallback.value, byDatabase });
}

/** The target of database `name`: its own `DATABASE_URL_<NAME>`, else `DATABASE_URL`. */
export function targetOf(targets: EngineTargets, name: string): EngineTarget {
  return targets.byDatabase[name] ?? targets.fallback;
}
