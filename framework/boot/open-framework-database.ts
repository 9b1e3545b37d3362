import type { FrameworkSettings } from "../config/settings";
import type { DatabaseEntry } from "../database/database-registry";
import { databaseLocation, openModuleDatabase } from "../database/open-data-source";
import { FRAMEWORK_DATABASE_NAME } from "../discovery/database-name";
import { synchronizeSchema } from "../schema/synchronize-schema";
import { SYSTEM_ENTITIES } from "../system/system-entities";
import { BootError } from "./boot-error";
import { errorText } from "./error-text";

/**
 * Opens the framework's own database and brings its tables up to date. Unlike a module database,
 * nothing works without it, so any failure rejects the boot.
 */
export async function openFrameworkDatabase(settings: FrameworkSettings): Promise<DatabaseEntry & { database: NonNullable<DatabaseEntry["database"]> }> {
  const database = await openModuleDatabase({ name: FRAMEWORK_DATABASE_NAME, modules: [], entities: SYSTEM_ENTITIES }, settings).catch((error: unknown) => {
    throw new BootError("DATABASE_OPEN_FAILED", `The framework database could not be opened: ${errorText(error)}`, [databaseLocation(settings, FRAMEWORK_DATABASE_NAME)]);
  });
  const schema = await synchronizeSchema(database);
  if (schema.refused.length > 0) {
    await database.close();
    throw new BootError("SCHEMA_REFUSED", "The framework database needs a migration.", schema.refused.map((change) => change.description));
  }
  return { name: FRAMEWORK_DATABASE_NAME, file: database.file, modules: [], state: "ready", problems: [], applied: schema.applied, refused: [], database };
}
