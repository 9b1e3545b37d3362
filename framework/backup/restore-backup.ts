import { existsSync, readdirSync } from "node:fs";
import { copyFile, link, mkdir, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { errAsync, ResultAsync } from "neverthrow";
import { claimExclusive, type ExclusiveClaim } from "../runtime/exclusive-claim";
import { BackupAbort, backupError, toBackupError, type BackupError } from "./backup-error";
import { databasePath, selectDatabases } from "./database-files";
import { fsyncPath, sha256File } from "./file-integrity";
import { checkpointFile } from "../engines/sqlite/backup/inspect-database";
import type { FrameworkSettings } from "../config/settings";
import type { DatabaseEngine } from "../engines/engine";
import { selectEngine } from "../engines/select-engine";
import { readManifest, type ManifestDatabase } from "./manifest";
import { verifyDatabaseCopy } from "../engines/sqlite/backup/verify-copy";

/** Options of {@link restoreBackup}. */
export interface RestoreOptions {
  /** A `backup-*` folder written by `createBackup`. */
  readonly backupDir: string;
  /** The data dir whose files are replaced. */
  readonly dataDir: string;
  /** Restore only this database. */
  readonly database?: string;
  /** The engines of the databases (`DATABASE_URL`…): needed to restore copies of databases that are not files (PostgreSQL dumps). */
  readonly settings?: Pick<FrameworkSettings, "engines">;
}

/**
 * The engine each selected copy goes back to; NOT_SUPPORTED (before anything changes) when a copy
 * is of another engine than the database now lives on — a SQLite file cannot become a PostgreSQL
 * schema by copying (export/import or pg_dump carry data across, see docs/scaling.md).
 */
function enginesFor(entries: readonly ManifestDatabase[], settings: RestoreOptions["settings"]): Map<string, DatabaseEngine> {
  const engines = new Map<string, DatabaseEngine>();
  for (const entry of entries) {
    const copyKind = entry.engine ?? "sqlite";
    const engine = settings === undefined ? undefined : selectEngine(settings, entry.name);
    const liveKind = engine?.kind ?? "sqlite";
    if (copyKind !== liveKind) {
      throw new BackupAbort(
        backupError("NOT_SUPPORTED", `The backup of '${entry.name}' is a ${copyKind} copy, but '${entry.name}' now lives on ${liveKind}; a backup restores to the engine it was taken from. Nothing was restored.`, {
          database: entry.name,
          backup_engine: copyKind,
          engine: liveKind,
        }),
      );
    }
    if (engine !== undefined && !engine.capabilities.fileBased) {
      if (engine.restore === undefined) throw new BackupAbort(backupError("NOT_SUPPORTED", `Database '${entry.name}' is on ${engine.kind}, whose engine cannot restore it here.`, { database: entry.name }));
      engines.set(entry.name, engine);
    }
  }
  return engines;
}

/** One database put back. */
export interface RestoredDatabase {
  readonly name: string;
  readonly file: string;
  /** Where the file it replaced was kept (with its -wal/-shm if any), or null when there was none. */
  readonly replaced_file: string | null;
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

function temporaryFileOf(dataDir: string, name: string, stamp: string): string {
  return path.join(dataDir, `.${name}.db.restore-${stamp}.tmp`);
}

/** Temporary copies left by restores that were killed (only ever for databases this restore now claims). */
async function removeStaleTemporaries(dataDir: string, names: readonly string[]): Promise<void> {
  for (const file of readdirSync(dataDir)) {
    const match = /^\.([a-z][a-z0-9_]*)\.db\.restore-[0-9TZ]+\.tmp$/.exec(file);
    if (match?.[1] !== undefined && names.includes(match[1])) await rm(path.join(dataDir, file), { force: true });
  }
}

/**
 * Copies one database of the backup beside its target and checks the copy: checksum again, then
 * `integrity_check` and `foreign_key_check`. Returns the temporary file; nothing is replaced yet.
 */
async function stageOne(backupDir: string, entry: ManifestDatabase, dataDir: string, stamp: string): Promise<string> {
  const temporary = temporaryFileOf(dataDir, entry.name, stamp);
  await copyFile(path.join(backupDir, entry.file), temporary);
  await fsyncPath(temporary);
  if ((await sha256File(temporary)) !== entry.sha256) throw new BackupAbort(backupError("RESTORE_FAILED", `The copy of ${entry.file} does not match its checksum.`, { database: entry.name }));
  const verdict = verifyDatabaseCopy(temporary);
  if (verdict.problems.length > 0) {
    throw new BackupAbort(
      backupError("INTEGRITY_CHECK_FAILED", `The backup of '${entry.name}' fails its checks (integrity_check, foreign_key_check); nothing was restored.`, { database: entry.name, problems: verdict.problems }),
    );
  }
  return temporary;
}

/**
 * Puts one checked copy in place without ever leaving a half-written database: the current file
 * is checkpointed (so its WAL content is in it) and hard-linked aside as `<name>.db.replaced-<stamp>`;
 * leftover -wal/-shm files are moved aside too (SQLite would otherwise apply them to the restored
 * file); then the copy is renamed over the target (atomic on one filesystem).
 */
async function swapIn(entry: ManifestDatabase, temporary: string, dataDir: string, stamp: string): Promise<RestoredDatabase> {
  const target = databasePath(dataDir, entry.name);
  try {
    let replaced: string | null = null;
    if (existsSync(target)) {
      try {
        checkpointFile(target);
      } catch {
        // A damaged current file cannot be checkpointed; its -wal is still kept aside below.
      }
      replaced = `${target}.replaced-${stamp}`;
      // A hard link keeps the old file without a moment where the target is missing; copy where links are unsupported.
      await link(target, replaced).catch(() => copyFile(target, replaced as string));
    }
    for (const suffix of ["-wal", "-shm"]) {
      if (existsSync(`${target}${suffix}`)) await rename(`${target}${suffix}`, `${replaced ?? `${target}.stale-${stamp}`}${suffix}`);
    }
    await rename(temporary, target);
    await fsyncPath(dataDir);
    return { name: entry.name, file: target, replaced_file: replaced };
  } catch (error) {
    throw new BackupAbort(backupError("RESTORE_FAILED", `Restoring '${entry.name}' failed: ${error instanceof Error ? error.message : String(error)}`, { database: entry.name }));
  }
}

function inUse(message: string, holders: readonly { databases: readonly string[]; pid: number; hostname: string; role?: string; state?: string }[], selected: readonly string[]): BackupError {
  const busy = holders.flatMap((holder) => holder.databases.filter((name) => selected.includes(name)).map((name) => ({ database: name, pid: holder.pid, hostname: holder.hostname, role: holder.role ?? "app", state: holder.state ?? "ready" })));
  return backupError("DATABASE_IN_USE", `Refusing to restore: ${message}. Stop the server first.`, { holders: busy });
}

/**
 * Restores every database of a backup (or one) into `dataDir`.
 *
 * Nothing changes when: the manifest is invalid (MANIFEST_INVALID); a file differs from it
 * (CHECKSUM_MISMATCH); a running framework process holds one of the databases or boots on them
 * (DATABASE_IN_USE — an exclusive claim is taken first, and boot waits for it, so a server starting
 * at any moment either is refused here or opens the restored file); or a copy fails
 * `integrity_check` / `foreign_key_check` (INTEGRITY_CHECK_FAILED). Every selected copy is checked
 * before the first one is swapped in.
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
    const work = async (): Promise<RestoredDatabase[]> => {
      const engines = enginesFor(entries, options.settings);
      const fileEntries = entries.filter((entry) => !engines.has(entry.name));
      const mismatches = (await Promise.all(entries.map((entry) => verifyChecksum(options.backupDir, entry)))).filter((problem): problem is string => problem !== undefined);
      if (mismatches.length > 0) throw new BackupAbort(backupError("CHECKSUM_MISMATCH", `Backup '${options.backupDir}' does not match its manifest; nothing was restored.`, { problems: mismatches }));
      await mkdir(options.dataDir, { recursive: true });
      const taken = claimExclusive(options.dataDir, "restore", selected.value);
      if ("conflict" in taken) throw new BackupAbort(inUse(taken.conflict.message, [...taken.conflict.holders, ...taken.conflict.claims.map((claim) => ({ ...claim, role: claim.purpose, state: "in progress" }))], selected.value));
      const claim: ExclusiveClaim = taken.claim;
      const stamp = stampOf(new Date());
      const staged: string[] = [];
      try {
        await removeStaleTemporaries(options.dataDir, selected.value);
        for (const entry of fileEntries) staged.push(await stageOne(options.backupDir, entry, options.dataDir, stamp));
        const restored: RestoredDatabase[] = [];
        // Engines that restore in one transaction of their own go first: when one refuses, no file was swapped yet.
        for (const [name, engine] of engines) {
          await (engine.restore as NonNullable<DatabaseEngine["restore"]>)(name, path.join(options.backupDir, `${(entries.find((entry) => entry.name === name) as ManifestDatabase).file}`));
          restored.push({ name, file: engine.location(name), replaced_file: null });
        }
        for (const [index, entry] of fileEntries.entries()) restored.push(await swapIn(entry, staged[index] as string, options.dataDir, stamp));
        return restored;
      } finally {
        for (const entry of entries) await rm(temporaryFileOf(options.dataDir, entry.name, stamp), { force: true });
        claim.release();
      }
    };
    return ResultAsync.fromPromise(work(), (error) => toBackupError(error, "RESTORE_FAILED"));
  });
}
