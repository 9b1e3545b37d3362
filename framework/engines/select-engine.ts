import type { FrameworkSettings, PostgresSettings } from "../config/settings";
import type { DatabaseEngine } from "./engine";
import { targetOf, type EngineTarget } from "./engine-targets";
import { postgresEngine } from "./postgres/postgres-engine";
import { sqliteEngine } from "./sqlite/sqlite-engine";

export { readEngineTargets, redactUrl, type EngineTarget, type EngineTargets } from "./engine-targets";

/** The defaults of `PG_POOL_SIZE`, `PG_STATEMENT_TIMEOUT_MS` and `PG_CONNECT_TIMEOUT_MS`, for callers that pass only `engines`. */
const DEFAULT_POSTGRES: PostgresSettings = { poolSize: 10, statementTimeoutMs: 5_000, connectTimeoutMs: 5_000 };

/** The settings `selectEngine` reads: where each database lives, and the PostgreSQL pool settings when there are any. */
export type EngineSettings = Pick<FrameworkSettings, "engines"> & Partial<Pick<FrameworkSettings, "postgres">>;

function engineOf(target: EngineTarget, settings: EngineSettings): DatabaseEngine {
  if (target.kind === "sqlite") return sqliteEngine(target.dataDir);
  return postgresEngine(target, settings.postgres ?? DEFAULT_POSTGRES);
}

/**
 * The engine that serves database `name`: the one its `DATABASE_URL_<NAME>` names, else the one
 * `DATABASE_URL` names, else SQLite files in `DATABASE_DIR` (`./data`).
 */
export function selectEngine(settings: EngineSettings, name: string): DatabaseEngine {
  return engineOf(targetOf(settings.engines, name), settings);
}

/** Where database `name` lives, safe to show: its file, or its server and schema without password. */
export function databaseLocation(settings: EngineSettings, name: string): string {
  return selectEngine(settings, name).location(name);
}
