import { existsSync, readdirSync } from "node:fs";
import { rm } from "node:fs/promises";
import path from "node:path";
import { MANIFEST_FILE } from "./manifest";

/** Backup folders are named `backup-<UTC timestamp>` so that name order is age order. */
export const BACKUP_DIR_PATTERN = /^backup-\d{8}T\d{9}Z$/;

/** Folder name of a backup taken at `at`. */
export function backupDirName(at: Date): string {
  return `backup-${at.toISOString().replace(/[-:.]/g, "")}`;
}

/** Complete backups (folders with a manifest) in `outDir`, newest first. */
export function listBackups(outDir: string): string[] {
  if (!existsSync(outDir)) return [];
  return readdirSync(outDir)
    .filter((name) => BACKUP_DIR_PATTERN.test(name) && existsSync(path.join(outDir, name, MANIFEST_FILE)))
    .sort()
    .reverse()
    .map((name) => path.join(outDir, name));
}

/** Deletes all but the `keep` newest complete backups in `outDir`; returns the deleted folders. */
export async function pruneBackups(outDir: string, keep: number): Promise<string[]> {
  const doomed = listBackups(outDir).slice(keep);
  for (const dir of doomed) await rm(dir, { recursive: true, force: true });
  return doomed;
}
