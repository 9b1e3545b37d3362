import { FRAMEWORK_OWNED_ENTITIES } from "../audit/audit-entity";
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
 * Besides the entities asked for, every database gets the framework-owned ones (its audit
 * trail, `moduledb_audit`): they are part of its DataSource, so the schema step creates them like
 * any table, but they are not the modules' tables (`ModuleDatabase.tableMetadatas` leaves them out).
 * Tables are not touched here; schema work is the schema step's job.
 */
export async function openModuleDatabase(request: OpenDatabaseRequest, settings: FrameworkSettings): Promise<ModuleDatabase> {
  const engine = selectEngine(settings, request.name);
  const activity = new DatabaseActivity(request.name);
  const observers: DatabaseObservers = { stats: activity.lockStats, condition: new DatabaseCondition(), activity };
  const session = await engine.open({ ...request, entities: [...request.entities, ...FRAMEWORK_OWNED_ENTITIES] }, settings, observers);
  return new ModuleDatabase(request.name, engine.location(request.name), session, request.entities, request.modules, observers, engine.capabilities);
}
