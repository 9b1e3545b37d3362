import { isIP } from "node:net";
import { err, ok, type Result } from "neverthrow";
import { loadTokensFile, type ApiTokenEntry } from "../access/api-tokens";
import type { SettingsError } from "../config/settings";

/** Everything the HTTP server reads from the environment, validated before anything listens. */
export interface HttpSettings {
  /** Interface to bind; loopback unless `HOST` says otherwise. */
  readonly host: string;
  /** TCP port; 0 picks a free one. */
  readonly port: number;
  /** Full-access token: when set (or any token is configured), routes require `Authorization: Bearer <token>` (see `auth/access-control`). */
  readonly apiToken?: string;
  /** Largest accepted request body, in bytes. */
  readonly bodyLimit: number;
  /** Largest response a records route builds, in bytes (estimated before reading); bigger pages get RESULT_TOO_LARGE. */
  readonly responseLimit: number;
  /** pino level of the request log, or `silent`. */
  readonly logLevel: LogLevel;
  /** Host names (optionally `name:port`) accepted in the `Host` header besides the loopback names, when no token is configured. */
  readonly allowedHosts: readonly string[];
  /** Named, scoped tokens from `API_TOKENS_FILE` (absent when the variable is unset). */
  readonly tokens?: readonly ApiTokenEntry[];
  /** `API_PUBLIC_READ=true`: reading routes stay open to anonymous clients even though tokens are configured. */
  readonly publicRead: boolean;
}

/** Log levels `LOG_LEVEL` accepts. */
export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
/** One log level. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Defaults of the HTTP settings. */
export const HTTP_DEFAULTS = { host: "127.0.0.1", port: 3000, bodyLimit: 1_048_576, responseLimit: 8 * 1_048_576, logLevel: "info", allowedHosts: [] as readonly string[] } as const;

/** What one ALLOWED_HOSTS entry may look like: a host name, an IPv4 address or a bracketed IPv6 address, optionally with a port. */
const HOST_ENTRY = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

/** Reads `ALLOWED_HOSTS`: comma-separated host names, each checked. */
function readAllowedHosts(env: Env): Result<string[], SettingsError> {
  const raw = env.ALLOWED_HOSTS?.trim();
  if (raw === undefined || raw === "") return ok([]);
  const entries = raw.split(",").map((entry) => entry.trim().toLowerCase()).filter((entry) => entry !== "");
  const bad = entries.find((entry) => !HOST_ENTRY.test(entry));
  if (bad !== undefined) return err(invalid("ALLOWED_HOSTS", raw, `comma-separated host names (optionally name:port); '${bad}' is not one`));
  return ok(entries);
}

/** Shortest accepted `API_TOKEN`: anything shorter is guessable. */
export const MIN_API_TOKEN_LENGTH = 16;

/** Why the HTTP settings were rejected: a malformed variable, or a bind that would be insecure. */
export type HttpSettingsError = SettingsError | { readonly code: "INSECURE_HOST"; readonly variable: "HOST"; readonly value: string; readonly message: string };

type Env = Readonly<Record<string, string | undefined>>;

/** True for addresses only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, "").toLowerCase();
  if (bare === "localhost" || bare === "::1") return true;
  const v4 = bare.startsWith("::ffff:") ? bare.slice("::ffff:".length) : bare;
  return isIP(v4) === 4 && v4.startsWith("127.");
}

function invalid(variable: string, value: string, expected: string): SettingsError {
  return { code: "INVALID_SETTING", variable, value, message: `Invalid ${variable}='${value}': expected ${expected}.` };
}

function readInteger(env: Env, variable: string, fallback: number, min: number, max: number): Result<number, SettingsError> {
  const raw = env[variable]?.trim();
  if (raw === undefined || raw === "") return ok(fallback);
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) return err(invalid(variable, raw, `an integer between ${min} and ${max}`));
  return ok(value);
}

/**
 * Reads `HOST`, `PORT`, `API_TOKEN`, `HTTP_BODY_LIMIT`, `HTTP_RESPONSE_LIMIT`, `LOG_LEVEL`, `ALLOWED_HOSTS`, `API_TOKENS_FILE` and `API_PUBLIC_READ`. Binding a non-loopback
 * host without `API_TOKEN` is refused: anyone on the network could otherwise write to every database.
 */
export function loadHttpSettings(env: Env = process.env): Result<HttpSettings, HttpSettingsError> {
  const host = env.HOST?.trim() || HTTP_DEFAULTS.host;
  const port = readInteger(env, "PORT", HTTP_DEFAULTS.port, 0, 65_535);
  if (port.isErr()) return err(port.error);
  const bodyLimit = readInteger(env, "HTTP_BODY_LIMIT", HTTP_DEFAULTS.bodyLimit, 1_024, 100 * 1_048_576);
  if (bodyLimit.isErr()) return err(bodyLimit.error);
  const responseLimit = readInteger(env, "HTTP_RESPONSE_LIMIT", HTTP_DEFAULTS.responseLimit, 1_024, 1_073_741_824);
  if (responseLimit.isErr()) return err(responseLimit.error);
  const level = (env.LOG_LEVEL?.trim().toLowerCase() || HTTP_DEFAULTS.logLevel) as LogLevel;
  if (!LOG_LEVELS.includes(level)) return err(invalid("LOG_LEVEL", env.LOG_LEVEL ?? "", `one of ${LOG_LEVELS.join(", ")}`));
  const allowedHosts = readAllowedHosts(env);
  if (allowedHosts.isErr()) return err(allowedHosts.error);
  const token = env.API_TOKEN;
  if (token !== undefined && token !== "" && (token.length < MIN_API_TOKEN_LENGTH || /\s/.test(token))) {
    // The value itself is never echoed: it is a secret even when it is a bad one.
    return err({ code: "INVALID_SETTING", variable: "API_TOKEN", value: "<hidden>", message: `Invalid API_TOKEN: expected at least ${MIN_API_TOKEN_LENGTH} characters without whitespace.` });
  }
  const apiToken = token === undefined || token === "" ? undefined : token;
  const tokensFile = env.API_TOKENS_FILE?.trim();
  const tokens = tokensFile === undefined || tokensFile === "" ? ok(undefined) : loadTokensFile(tokensFile);
  if (tokens.isErr()) return err(tokens.error);
  const publicRaw = env.API_PUBLIC_READ?.trim().toLowerCase() ?? "";
  if (!["", "true", "false", "1", "0"].includes(publicRaw)) return err(invalid("API_PUBLIC_READ", env.API_PUBLIC_READ ?? "", "true or false"));
  const publicRead = publicRaw === "true" || publicRaw === "1";
  const anyToken = apiToken !== undefined || (tokens.value?.length ?? 0) > 0;
  if (!anyToken && !isLoopbackHost(host)) {
    return err({
      code: "INSECURE_HOST",
      variable: "HOST",
      value: host,
      message: `Refusing to listen on HOST='${host}' without API_TOKEN: anyone who can reach this address could change your databases. Set API_TOKEN to a secret of at least ${MIN_API_TOKEN_LENGTH} characters, or bind to 127.0.0.1.`,
    });
  }
  const settings: HttpSettings = { host, port: port.value, bodyLimit: bodyLimit.value, responseLimit: responseLimit.value, logLevel: level, allowedHosts: allowedHosts.value, publicRead, ...(tokens.value === undefined ? {} : { tokens: tokens.value }) };
  return ok(apiToken === undefined ? settings : { ...settings, apiToken });
}
