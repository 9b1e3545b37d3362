import type { FrameworkSettings } from "../config/settings";
import type { OpenDatabaseRequest } from "../engines/engine";
import { selectEngine } from "../engines/select-engine";
import { DatabaseActivity } from "../metrics/database-activity";
import { DatabaseCondition } from "./database-condition";
import type { DatabaseObservers } from "./database-observers";
import { ModuleDatabase } from "./module-database";

export type { OpenDatabaseRequest } from "../engines/engine";
export { databaseLocation } from "../engines/select-engine";

/**
 * Opens (creating when missing, unless the framework remembers tables for it) one database with
 * the engine its `DATABASE_URL` names, with its own DataSource.
 * Tables are not touched here; schema work is the schema step's job.
 */
export async function openModuleDatabase(request: OpenDatabaseRequest, settings: FrameworkSettings): Promise<ModuleDatabase> {
  const engine = selectEngine(settings, request.name);
  const activity = new DatabaseActivity(request.name);
  const observers: DatabaseObservers = { stats: activity.lockStats, condition: new DatabaseCondition(), activity };
  const session = await engine.open(request, settings, observers);
  return new ModuleDatabase(request.name, engine.location(request.name), session, request.entities, request.modules, observers, engine.capabilities);
}
