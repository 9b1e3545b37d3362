import type { ModuleDatabase } from "../database/module-database";
import { DatabaseRecord } from "./system-entities";

/**
 * Deletes what the framework database remembers about a database (its record and tables), so
 * that the next boot creates its file afresh instead of refusing it as DATABASE_EMPTIED.
 * Returns the tables that were remembered, or undefined when there was no record.
 */
export async function forgetDatabase(frameworkDatabase: ModuleDatabase, name: string): Promise<readonly string[] | undefined> {
  const records = frameworkDatabase.repository(DatabaseRecord);
  const record = await records.findOneBy({ name });
  if (record === null) return undefined;
  await records.delete({ name });
  return record.tables;
}
