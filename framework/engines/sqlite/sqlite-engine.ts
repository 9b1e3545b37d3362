import type { DatabaseEngine } from "../engine";
import { databaseFile, openSqliteDatabase } from "./open-sqlite";
import { fileFingerprint } from "./schema-fingerprint";
import { checkSqliteIntegrity } from "./check-integrity";

/** SQLite: one `<DATABASE_NAME>.db` file per database in `dataDir`, one gated connection per process. */
export function sqliteEngine(dataDir: string): DatabaseEngine {
  return {
    kind: "sqlite",
    capabilities: { fileBased: true, onlineBackup: true, needsWriteGate: true, sharedByProcesses: false },
    location: (name) => databaseFile(dataDir, name),
    open: (request, settings, observers) => openSqliteDatabase(request, settings, databaseFile(dataDir, request.name), observers),
    fingerprint: (name) => fileFingerprint(databaseFile(dataDir, name)),
    checkIntegrity: (entry) => checkSqliteIntegrity(entry),
  };
}
