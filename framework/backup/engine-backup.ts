import { stat } from "node:fs/promises";
import path from "node:path";
import type { FrameworkSettings } from "../config/settings";
import type { DatabaseEngine } from "../engines/engine";
import { selectEngine } from "../engines/select-engine";
import { BackupAbort, backupError } from "./backup-error";
import { databaseNamesIn } from "./database-files";
import { fsyncPath, sha256File } from "./file-integrity";
import type { ManifestDatabase } from "./manifest";
import type { ProgressReporter } from "./progress-reporter";

/** One database a backup covers and the engine it lives on; `engine` is undefined for a file the backup copies itself. */
export interface BackupTarget {
  readonly name: string;
  readonly engine?: DatabaseEngine;
}

/**
 * The databases a backup covers. Without engine settings: every `<name>.db` in the data dir (the
 * SQLite layout). With them: the `.db` files of databases whose engine is file-based, plus every
 * declared database (`declared`: the modules' `DATABASE_NAME`s and `framework`) whose engine is
 * not — those the engine copies itself.
 */
export function backupTargets(dataDir: string, settings?: Pick<FrameworkSettings, "engines">, declared: readonly string[] = []): BackupTarget[] {
  const files = databaseNamesIn(dataDir);
  if (settings === undefined) return files.map((name) => ({ name }));
  const targets: BackupTarget[] = [];
  for (const name of [...new Set([...files, ...declared])].sort()) {
    const engine = selectEngine(settings, name);
    if (engine.capabilities.fileBased) {
      if (files.includes(name)) targets.push({ name });
    } else if (declared.includes(name)) {
      targets.push({ name, engine });
    }
  }
  return targets;
}

/** Backs up one database its engine copies itself (PostgreSQL: pg_dump), hashed and fsynced like a file copy. */
export async function backupWithEngine(name: string, engine: DatabaseEngine, targetDir: string, progress: ProgressReporter): Promise<ManifestDatabase> {
  progress.begin(name);
  if (engine.backup === undefined) {
    throw new BackupAbort(backupError("NOT_SUPPORTED", `Database '${name}' is on ${engine.kind}, whose engine cannot back it up here.`, { database: name, engine: engine.kind }));
  }
  const copy = await engine.backup(name, targetDir);
  const file = path.join(targetDir, copy.file);
  await fsyncPath(file);
  const { size } = await stat(file);
  const rows = Object.values(copy.rowCounts).reduce((sum, count) => sum + count, 0);
  progress.end(name, `ok (${engine.kind}), ${size} bytes, ${Object.keys(copy.rowCounts).length} tables, ${rows} rows`);
  return {
    name,
    engine: engine.kind,
    file: copy.file,
    size,
    sha256: await sha256File(file),
    integrity_check: copy.integrity,
    row_counts: copy.rowCounts,
    migrations: copy.migrations,
    pages: 0,
    restarts: 0,
  };
}
