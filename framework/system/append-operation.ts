import { existsSync } from "node:fs";
import { openFrameworkDatabase } from "../boot/open-framework-database";
import type { FrameworkSettings } from "../config/settings";
import { selectEngine } from "../engines/select-engine";
import { FRAMEWORK_DATABASE_NAME } from "../discovery/database-name";
import { OperationsLog, processActor, type OperationEntry } from "./operations-log";

/**
 * Writes one operations-log entry from a process that has not booted the framework (`backup` and
 * `restore` work on the files directly): opens the framework database for that one write. A data
 * dir without a framework database gets none created; a failure is reported on stderr, never
 * thrown, since the operation itself is already done.
 */
export async function appendOperation(settings: FrameworkSettings, role: string, entry: OperationEntry): Promise<void> {
  const engine = selectEngine(settings, FRAMEWORK_DATABASE_NAME);
  if (engine.capabilities.fileBased && !existsSync(engine.location(FRAMEWORK_DATABASE_NAME))) return;
  try {
    const framework = await openFrameworkDatabase(settings);
    try {
      await new OperationsLog(framework.database, processActor(role)).record(entry);
    } finally {
      await framework.database.close();
    }
  } catch (error) {
    process.stderr.write(`moduledb: could not write the operations log (${entry.kind}): ${error instanceof Error ? error.message : String(error)}\n`);
  }
}
