import type { FrameworkSettings } from "../config/settings";
import { dbError, DbErrorException } from "../errors/db-error";
import type { DatabaseEngine } from "./engine";
import { targetOf, type EngineTarget } from "./engine-targets";
import { sqliteEngine } from "./sqlite/sqlite-engine";

export { readEngineTargets, redactUrl, type EngineTarget, type EngineTargets } from "./engine-targets";

function engineOf(target: EngineTarget): DatabaseEngine {
  if (target.kind === "sqlite") return sqliteEngine(target.dataDir);
  return unavailableEngine(target.display);
}

/** Stands in for an engine this build cannot open: every open is refused, naming the URL without its password. */
function unavailableEngine(display: string): DatabaseEngine {
  const refuse = (name: string): never => {
    throw new DbErrorException(dbError("DATABASE_UNAVAILABLE", `Database '${name}': the engine of ${display} is not available in this build.`, name));
  };
  return {
    kind: "postgres",
    capabilities: { fileBased: false, onlineBackup: false, needsWriteGate: false, sharedByProcesses: true },
    location: (name) => `${display}#${name}`,
    open: async (request) => refuse(request.name),
    fingerprint: () => "unknown",
    checkIntegrity: async (entry) => ({ database: entry.name, file: entry.file, integrity: [], foreign_key_violations: [], ok: false, error: `The engine of ${display} is not available in this build.` }),
  };
}

/**
 * The engine that serves database `name`: the one its `DATABASE_URL_<NAME>` names, else the one
 * `DATABASE_URL` names, else SQLite files in `DATABASE_DIR` (`./data`).
 */
export function selectEngine(settings: Pick<FrameworkSettings, "engines">, name: string): DatabaseEngine {
  return engineOf(targetOf(settings.engines, name));
}

/** Where database `name` lives, safe to show: its file, or its server and schema without password. */
export function databaseLocation(settings: Pick<FrameworkSettings, "engines">, name: string): string {
  return selectEngine(settings, name).location(name);
}
