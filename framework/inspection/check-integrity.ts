import type { FrameworkSettings } from "../config/settings";
import type { DatabaseEntry } from "../database/database-registry";
import { selectEngine } from "../engines/select-engine";
import type { IntegrityReport } from "./integrity-report";

export type { ForeignKeyViolation, IntegrityReport } from "./integrity-report";

/**
 * Checks one database with its engine's own integrity and foreign key checks. An open database is
 * checked on its own connection; one boot did not open (refused, failed) is checked from outside,
 * because a broken database is exactly what this must be able to look at.
 */
export function checkIntegrity(entry: DatabaseEntry, settings: FrameworkSettings): Promise<IntegrityReport> {
  return selectEngine(settings, entry.name).checkIntegrity(entry);
}
