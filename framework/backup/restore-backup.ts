import { existsSync } from "node:fs";
import { copyFile, link, mkdir, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { errAsync, ResultAsync } from "neverthrow";
import { liveHolders } from "../runtime/holder-file";
import { BackupAbort, backupError, toBackupError, type BackupError } from "./backup-error";
import { databasePath, selectDatabases } from "./database-files";
import { fsyncPath, sha256File } from "./file-integrity";
import { checkpointFile } from "./inspect-database";
import { readManifest, type ManifestDatabase } from "./manifest";

/** Options of {@link restoreBackup}. */
export interface RestoreOptions {
  /** A `backup-*` folder written by `createBackup`. */
  readonly backupDir: string;
  /** The data dir whose files are replaced. */
  readonly dataDir: string;
  /** Restore only this database. */
  readonly database?: string;
}

/** One database put back. */
export interface RestoredDatabase {
  readonly name: string;
  readonly file: string;
  /** Where the file it replaced was kept (with its -wal/-shm if any), or null when there was none. */
  readonly replacedFile: string | null;
}

function stampOf(at: Date): string {
  return at.toISOString().replace(/[-:.]/g, "");
}

async function verifyChecksum(backupDir: string, entry: ManifestDatabase): Promise<string | undefined> {
  const file = path.join(backupDir, entry.file);
  if (!existsSync(file)) return `${entry.file}: missing`;
  const { size } = await stat(file);
  if (size !== entry.size) return `${entry.file}: size ${size}, manifest says ${entry.size}`;
  const sha = await sha256File(file);
  return sha === entry.sha256 ? undefined : `${entry.file}: sha256 ${sha}, manifest says ${entry.sha256}`;
}

/**
 * Puts one database file back without ever leaving a half-written database in place: the copy is
 * written to a temporary file beside the target, fsynced and checked, then renamed over the target
 * (atomic on one filesystem). The current file is first checkpointed (so its WAL content is in it)
 * and hard-linked aside as `<name>.db.replaced-<stamp>`; leftover -wal/-shm files are moved aside too,
 * since SQLite would otherwise apply them to the restored file.
 */
async function restoreOne(backupDir: string, entry: ManifestDatabase, dataDir: string, stamp: string): Promise<RestoredDatabase> {
  const target = databasePath(dataDir, entry.name);
  const temporary = path.join(dataDir, `.${entry.name}.db.restore-${stamp}.tmp`);
  try {
    await copyFile(path.join(backupDir, entry.file), temporary);
    await fsyncPath(temporary);
    if ((await sha256File(temporary)) !== entry.sha256) throw new Error(`the copy of ${entry.file} does not match its checksum`);
    let replacedFile: string | null = null;
    if (existsSync(target)) {
      try {
        checkpointFile(target);
      } catch {
        // A damaged current file cannot be checkpointed; its -wal is still kept aside below.
      }
      replacedFile = `${target}.replaced-${stamp}`;
      // A hard link keeps the old file without a moment where the target is missing; copy where links are unsupported.
      await link(target, replacedFile).catch(() => copyFile(target, replacedFile as string));
    }
    for (const suffix of ["-wal", "-shm"]) {
      if (existsSync(`${target}${suffix}`)) await rename(`${target}${suffix}`, `${replacedFile ?? `${target}.stale-${stamp}`}${suffix}`);
    }
    await rename(temporary, target);
    await fsyncPath(dataDir);
    return { name: entry.name, file: target, replacedFile };
  } catch (error) {
    await rm(temporary, { force: true });
    throw new BackupAbort(backupError("RESTORE_FAILED", `Restoring '${entry.name}' failed: ${error instanceof Error ? error.message : String(error)}`, { database: entry.name }));
  }
}

/**
 * Restores every database of a backup (or one) into `dataDir`. Refuses with DATABASE_IN_USE while a
 * running framework process holds one of them (its holder file in the data dir names it), and with
 * CHECKSUM_MISMATCH when any selected file differs from the manifest; in both cases nothing changes.
 */
export function restoreBackup(options: RestoreOptions): ResultAsync<RestoredDatabase[], BackupError> {
  return readManifest(options.backupDir).andThen((manifest) => {
    const selected = selectDatabases(
      manifest.databases.map((entry) => entry.name),
      options.database,
      `backup '${options.backupDir}'`,
    );
    if (selected.isErr()) return errAsync(selected.error);
    const entries = manifest.databases.filter((entry) => selected.value.includes(entry.name));
    const busy = liveHolders(options.dataDir).flatMap((holder) => holder.databases.filter((name) => selected.value.includes(name)).map((name) => ({ database: name, pid: holder.pid, hostname: holder.hostname })));
    if (busy.length > 0) {
      const names = [...new Set(busy.map((entry) => entry.database))];
      return errAsync(backupError("DATABASE_IN_USE", `Refusing to restore ${names.map((name) => `'${name}'`).join(", ")}: held by running process(es) ${[...new Set(busy.map((entry) => entry.pid))].join(", ")}. Stop the server first.`, { holders: busy }));
    }
    const work = async (): Promise<RestoredDatabase[]> => {
      await mkdir(options.dataDir, { recursive: true });
      const mismatches = (await Promise.all(entries.map((entry) => verifyChecksum(options.backupDir, entry)))).filter((problem): problem is string => problem !== undefined);
      if (mismatches.length > 0) throw new BackupAbort(backupError("CHECKSUM_MISMATCH", `Backup '${options.backupDir}' does not match its manifest; nothing was restored.`, { problems: mismatches }));
      const stamp = stampOf(new Date());
      const restored: RestoredDatabase[] = [];
      for (const entry of entries) restored.push(await restoreOne(options.backupDir, entry, options.dataDir, stamp));
      return restored;
    };
    return ResultAsync.fromPromise(work(), (error) => toBackupError(error, "RESTORE_FAILED"));
  });
}
