import type { DiscoveryIssue } from "../discovery/discovery-issue";

/**
 * What the generic records API may do with a table: `hidden` (absent from the generic API and the
 * OpenAPI document, answered exactly like a table that does not exist), `read` (pages, records and
 * schema only) or `read-write` (create, update and delete too). Module code is never limited by it.
 */
export const ACCESS_LEVELS = ["hidden", "read", "read-write"] as const;

/** One access level. */
export type AccessLevel = (typeof ACCESS_LEVELS)[number];

/** The level of a table no module policy names. */
export const DEFAULT_ACCESS_LEVEL: AccessLevel = "read-write";

/**
 * The `api` export of a module's `db-models` file:
 * `export const api = { default: "read-write", tables: { users: "read", user_sessions: "hidden" } }`.
 */
export interface ApiPolicy {
  /** Level of every table of the module that `tables` does not name (default `read-write`). */
  readonly default?: AccessLevel;
  /** Level per table name; every name must be a table the module declares. */
  readonly tables?: Readonly<Record<string, AccessLevel>>;
}

/** A module's policy after validation: the level of each of its tables. */
export type ResolvedPolicy = ReadonlyMap<string, AccessLevel>;

/** True for one of {@link ACCESS_LEVELS}. */
export function isAccessLevel(value: unknown): value is AccessLevel {
  return typeof value === "string" && (ACCESS_LEVELS as readonly string[]).includes(value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Checks a module's `api` export against the tables it declares and resolves the level of each.
 * Absent: every table is `read-write`. Anything malformed — an unknown key, an invalid level, a
 * table name the module does not declare — is an `INVALID_API_POLICY` issue naming the key.
 */
export function resolveApiPolicy(api: unknown, tables: readonly string[], where: { module: string; file: string }): ResolvedPolicy | DiscoveryIssue {
  const issue = (message: string): DiscoveryIssue => ({ rule: "INVALID_API_POLICY", module: where.module, file: where.file, message });
  const levels = new Map<string, AccessLevel>();
  if (api === undefined) {
    for (const table of tables) levels.set(table, DEFAULT_ACCESS_LEVEL);
    return levels;
  }
  if (!isPlainObject(api)) return issue("`api` must be an object like { default: \"read-write\", tables: { users: \"read\" } }.");
  const unknown = Object.keys(api).filter((key) => key !== "default" && key !== "tables");
  if (unknown.length > 0) return issue(`\`api\` has unknown key(s) ${unknown.map((key) => `'${key}'`).join(", ")}; expected 'default' and 'tables'.`);
  const fallback = api.default ?? DEFAULT_ACCESS_LEVEL;
  if (!isAccessLevel(fallback)) return issue(`api.default ${JSON.stringify(api.default)} is not one of ${ACCESS_LEVELS.join(", ")}.`);
  const named = api.tables ?? {};
  if (!isPlainObject(named)) return issue("api.tables must be an object of table name → access level.");
  for (const [table, level] of Object.entries(named)) {
    if (!tables.includes(table)) return issue(`api.tables.${table}: '${table}' is not a table of this module (its tables: ${tables.join(", ")}).`);
    if (!isAccessLevel(level)) return issue(`api.tables.${table}: ${JSON.stringify(level)} is not one of ${ACCESS_LEVELS.join(", ")}.`);
  }
  for (const table of tables) levels.set(table, (named[table] as AccessLevel | undefined) ?? fallback);
  return levels;
}
