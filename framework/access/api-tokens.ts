import { createHash, timingSafeEqual } from "node:crypto";
import { readFileSync } from "node:fs";
import { err, ok, type Result } from "neverthrow";
import type { SettingsError } from "../config/settings";

/** What a token may do: `read` (reads), `write` (reads and writes), `admin` (everything, migrations, reload, backups, the logs). */
export const TOKEN_SCOPES = ["read", "write", "admin"] as const;

/** One scope. */
export type TokenScope = (typeof TOKEN_SCOPES)[number];

/** One entry of the `API_TOKENS_FILE`: only the SHA-256 of the secret is stored. */
export interface ApiTokenEntry {
  readonly name: string;
  /** Lower-case hex SHA-256 of the secret. */
  readonly sha256: string;
  readonly scopes: readonly TokenScope[];
  /** The databases the token may reach; every database when absent. */
  readonly databases?: readonly string[];
}

/** Who a request acts as: a named token, the full-access `API_TOKEN`, or nobody. */
export interface Principal {
  /** The token's name, `api-token` for `API_TOKEN`, `anonymous` without one. */
  readonly name: string;
  readonly scopes: ReadonlySet<TokenScope>;
  /** Databases the principal may reach; undefined = all. */
  readonly databases?: ReadonlySet<string>;
}

/** The principal of `API_TOKEN` (and of every request to a server without tokens): everything. */
export function fullAccess(name: string): Principal {
  return { name, scopes: new Set(TOKEN_SCOPES) };
}

/** True when `principal` may use a route needing `scope`: `admin` covers everything, `write` covers `read`. */
export function grants(principal: Principal, scope: TokenScope): boolean {
  if (principal.scopes.has("admin")) return true;
  if (scope === "read") return principal.scopes.size > 0;
  return principal.scopes.has(scope);
}

/** True when `principal` may reach `database`. */
export function reaches(principal: Principal, database: string): boolean {
  return principal.databases === undefined || principal.databases.has(database);
}

/** Lower-case hex SHA-256 of a secret, as the tokens file stores it. */
export function sha256Hex(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex");
}

/**
 * The entry whose hash matches `presented`. The presented secret is hashed once and compared with
 * every entry in constant time (`timingSafeEqual` on the 32-byte digests, no early exit), so the
 * time taken says nothing about which part of a guess was right.
 */
export function findToken(presented: string, entries: readonly ApiTokenEntry[]): ApiTokenEntry | undefined {
  const digest = createHash("sha256").update(presented, "utf8").digest();
  let found: ApiTokenEntry | undefined;
  for (const entry of entries) {
    if (timingSafeEqual(digest, Buffer.from(entry.sha256, "hex")) && found === undefined) found = entry;
  }
  return found;
}

/** The principal of a token file entry. */
export function principalOf(entry: ApiTokenEntry): Principal {
  return { name: entry.name, scopes: new Set(entry.scopes), ...(entry.databases === undefined ? {} : { databases: new Set(entry.databases) }) };
}

function invalid(path: string, reason: string): SettingsError {
  return { code: "INVALID_SETTING", variable: "API_TOKENS_FILE", value: path, message: `Invalid API_TOKENS_FILE='${path}': ${reason}.` };
}

function checkEntry(value: unknown, index: number, names: Set<string>): string | ApiTokenEntry {
  const where = `tokens[${index}]`;
  if (typeof value !== "object" || value === null || Array.isArray(value)) return `${where} is not an object`;
  const { name, sha256, scopes, databases, ...rest } = value as Record<string, unknown>;
  const extra = Object.keys(rest);
  if (extra.length > 0) return `${where} has unknown key(s) ${extra.join(", ")}`;
  if (typeof name !== "string" || !/^[A-Za-z0-9_.:-]{1,100}$/.test(name)) return `${where}.name must be 1-100 letters, digits or _ . : -`;
  if (names.has(name)) return `${where}.name '${name}' is used twice`;
  if (typeof sha256 !== "string" || !/^[0-9a-f]{64}$/.test(sha256)) return `${where}.sha256 must be 64 lower-case hex digits (the SHA-256 of the secret)`;
  if (!Array.isArray(scopes) || scopes.length === 0 || !scopes.every((scope) => (TOKEN_SCOPES as readonly unknown[]).includes(scope))) return `${where}.scopes must be a non-empty list of ${TOKEN_SCOPES.join(", ")}`;
  if (databases !== undefined && (!Array.isArray(databases) || !databases.every((database) => typeof database === "string" && database !== ""))) return `${where}.databases must be a list of database names`;
  names.add(name);
  return { name, sha256, scopes: scopes as TokenScope[], ...(databases === undefined ? {} : { databases: databases as string[] }) };
}

/** Reads and checks the tokens file: `{ "tokens": [{ "name", "sha256", "scopes", "databases"? }] }`. */
export function loadTokensFile(path: string): Result<ApiTokenEntry[], SettingsError> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    return err(invalid(path, error instanceof SyntaxError ? `not valid JSON (${error.message})` : "the file cannot be read"));
  }
  const tokens = (parsed as { tokens?: unknown } | null)?.tokens;
  if (!Array.isArray(tokens)) return err(invalid(path, 'expected { "tokens": [ ... ] }'));
  const names = new Set<string>();
  const entries: ApiTokenEntry[] = [];
  for (const [index, value] of tokens.entries()) {
    const checked = checkEntry(value, index, names);
    if (typeof checked === "string") return err(invalid(path, checked));
    entries.push(checked);
  }
  return ok(entries);
}
