import { existsSync } from "node:fs";
import { mkdir, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { errAsync, ResultAsync } from "neverthrow";
import { BackupAbort, backupError, toBackupError, type BackupError } from "./backup-error";
import type { FrameworkSettings } from "../config/settings";
import { databasePath, selectDatabases } from "./database-files";
import { backupTargets, backupWithEngine } from "./engine-backup";
import { fsyncPath, sha256File } from "./file-integrity";
import { finaliseAndInspect } from "../engines/sqlite/backup/inspect-database";
import { MANIFEST_FILE, MANIFEST_FORMAT, type BackupManifest, type ManifestDatabase, type ManifestRedis } from "./manifest";
import { copyDatabaseOnline } from "../engines/sqlite/backup/online-copy";
import { SILENT_PROGRESS, type ProgressReporter } from "./progress-reporter";
import { markPartialOwner, PARTIAL_OWNER_FILE, removeStalePartials } from "./partial-folders";
import { backupDirName, pruneBackups } from "./prune-backups";
import { snapshotRedis } from "./redis-snapshot";

/** Options of {@link createBackup}. */
export interface BackupOptions {
  /** Where the `<name>.db` files live. */
  readonly dataDir: string;
  /** Folder that receives `backup-<timestamp>/` folders. */
  readonly outDir: string;
  /** Back up only this database. */
  readonly database?: string;
  /** After a successful backup, keep only this many newest backups in `outDir`. */
  readonly keep?: number;
  /** When set, a Redis snapshot (BGSAVE + RDB copy) is added. */
  readonly redisUrl?: string;
  readonly progress?: ProgressReporter;
  /**
   * The engines of the databases (`DATABASE_URL`…). Without them every `<name>.db` of `dataDir` is
   * backed up; with them, databases on an engine that is not file-based (PostgreSQL) are backed up
   * by that engine too, for every name in `declared`.
   */
  readonly settings?: Pick<FrameworkSettings, "engines">;
  /** The databases the modules declare (and `framework`), for engines that are not file-based. */
  readonly declared?: readonly string[];
}

/** What {@link createBackup} produced. */
export interface BackupReport {
  /** The new backup folder. */
  readonly dir: string;
  readonly manifest: BackupManifest;
  /** Older backup folders deleted by `keep`. */
  readonly pruned: readonly string[];
  /** `.partial` folders of earlier backups that died, deleted before this one started. */
  readonly stale_partials_removed: readonly string[];
}

function formatSize(bytes: number): string {
  return bytes >= 1 << 20 ? `${(bytes / (1 << 20)).toFixed(1)} MiB` : `${(bytes / 1024).toFixed(1)} KiB`;
}

async function backupOne(name: string, dataDir: string, targetDir: string, progress: ProgressReporter): Promise<ManifestDatabase> {
  const target = databasePath(targetDir, name);
  progress.begin(name);
  const outcome = await copyDatabaseOnline(databasePath(dataDir, name), target, (fraction) => progress.update(name, fraction)).catch((error: unknown) => {
    throw new BackupAbort(backupError("BACKUP_FAILED", `Copying database '${name}' failed: ${error instanceof Error ? error.message : String(error)}`, { database: name }));
  });
  const inspection = finaliseAndInspect(target);
  if (inspection.integrity.length !== 1 || inspection.integrity[0] !== "ok") {
    throw new BackupAbort(backupError("INTEGRITY_CHECK_FAILED", `The backup of '${name}' failed integrity_check.`, { database: name, problems: inspection.integrity }));
  }
  await fsyncPath(target);
  const { size } = await stat(target);
  const entry: ManifestDatabase = {
    name,
    file: path.basename(target),
    size,
    sha256: await sha256File(target),
    integrity_check: inspection.integrity,
    row_counts: inspection.rowCounts,
    migrations: inspection.migrations,
    pages: outcome.pages,
    restarts: outcome.restarts,
  };
  const rows = Object.values(inspection.rowCounts).reduce((sum, count) => sum + count, 0);
  progress.end(name, `ok, ${formatSize(size)}, ${Object.keys(inspection.rowCounts).length} tables, ${rows} rows, integrity ok`);
  return entry;
}

async function uniqueBackupDir(outDir: string): Promise<string> {
  let at = Date.now();
  while (existsSync(path.join(outDir, backupDirName(new Date(at)))) || existsSync(path.join(outDir, `.${backupDirName(new Date(at))}.partial`))) at += 1;
  return path.join(outDir, backupDirName(new Date(at)));
}

/**
 * Backs up every database of `dataDir` (or one) while servers keep writing: each file is copied
 * with SQLite's online backup API (a database on PostgreSQL: `pg_dump` by its engine) into a `.partial` folder, made self-contained, checked with
 * integrity_check and hashed; the manifest is written last and the folder renamed into place, so a
 * `backup-*` folder with a manifest is always complete. Then older backups are pruned by `keep`.
 * `.partial` folders of backups that died are deleted first (their owner file names a dead process).
 */
export function createBackup(options: BackupOptions): ResultAsync<BackupReport, BackupError> {
  if (options.keep !== undefined && (!Number.isSafeInteger(options.keep) || options.keep < 1)) {
    return errAsync(backupError("INVALID_OPTION", `--keep must be a whole number >= 1, got ${String(options.keep)}.`, { keep: options.keep }));
  }
  const targets = backupTargets(options.dataDir, options.settings, options.declared);
  const selected = selectDatabases(targets.map((target) => target.name), options.database, `data dir '${options.dataDir}'`);
  if (selected.isErr()) return errAsync(selected.error);
  if (selected.value.length === 0) return errAsync(backupError("DATABASE_NOT_FOUND", `No databases (*.db) in data dir '${options.dataDir}'.`, { data_dir: options.dataDir }));
  const engineOf = new Map(targets.map((target) => [target.name, target.engine]));
  const progress = options.progress ?? SILENT_PROGRESS;

  const work = async (): Promise<BackupReport> => {
    await mkdir(options.outDir, { recursive: true });
    const stalePartials = await removeStalePartials(options.outDir);
    for (const dir of stalePartials) progress.note(`removed ${dir} (left by a backup that died)`);
    const finalDir = await uniqueBackupDir(options.outDir);
    const partialDir = path.join(options.outDir, `.${path.basename(finalDir)}.partial`);
    await mkdir(partialDir);
    markPartialOwner(partialDir);
    try {
      const databases: ManifestDatabase[] = [];
      for (const name of selected.value) {
        const engine = engineOf.get(name);
        databases.push(engine === undefined ? await backupOne(name, options.dataDir, partialDir, progress) : await backupWithEngine(name, engine, partialDir, progress));
      }
      let redis: ManifestRedis | null = null;
      if (options.redisUrl !== undefined) {
        progress.note("backup redis: BGSAVE");
        redis = await snapshotRedis({ url: options.redisUrl, targetDir: partialDir });
        progress.note(`backup redis: ok, ${formatSize(redis.size)} (${redis.source})`);
      }
      const manifest: BackupManifest = { format: MANIFEST_FORMAT, created_at: new Date().toISOString(), data_dir: path.resolve(options.dataDir), databases, redis };
      const manifestFile = path.join(partialDir, MANIFEST_FILE);
      await writeFile(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);
      await fsyncPath(manifestFile);
      await rm(path.join(partialDir, PARTIAL_OWNER_FILE), { force: true });
      await fsyncPath(partialDir);
      await rename(partialDir, finalDir);
      await fsyncPath(options.outDir);
      const pruned = options.keep === undefined ? [] : await pruneBackups(options.outDir, options.keep);
      for (const dir of pruned) progress.note(`pruned ${dir}`);
      return { dir: finalDir, manifest, pruned, stale_partials_removed: stalePartials };
    } catch (error) {
      await rm(partialDir, { recursive: true, force: true });
      throw error;
    }
  };
  return ResultAsync.fromPromise(work(), (error) => toBackupError(error, "BACKUP_FAILED"));
}
