import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import path from "node:path";
import { currentProcess, identityState, type ProcessIdentity } from "../runtime/process-identity";

/** A backup being written: `.backup-<ts>.partial`, renamed to `backup-<ts>` when complete. */
export const PARTIAL_DIR_PATTERN = /^\.backup-\d{8}T\d{9}Z\.partial$/;

/** The file inside a partial folder naming the process that writes it. */
export const PARTIAL_OWNER_FILE = ".owner.json";

/** A partial folder with no owner file yet is left alone this long (it may have been created a moment ago). */
const OWNERLESS_GRACE_MS = 60_000;

/** Marks a freshly created partial folder as this process' work. */
export function markPartialOwner(partialDir: string): void {
  writeFileSync(path.join(partialDir, PARTIAL_OWNER_FILE), `${JSON.stringify(currentProcess())}\n`);
}

function isStale(partialDir: string): boolean {
  const ownerFile = path.join(partialDir, PARTIAL_OWNER_FILE);
  if (!existsSync(ownerFile)) {
    try {
      return Date.now() - statSync(partialDir).mtimeMs > OWNERLESS_GRACE_MS;
    } catch {
      return false;
    }
  }
  try {
    return identityState(JSON.parse(readFileSync(ownerFile, "utf8")) as ProcessIdentity) === "dead";
  } catch {
    return false;
  }
}

/**
 * Deletes `.backup-*.partial` folders in `outDir` left by backups that died (`kill -9`, a full
 * disk, a reboot): their writer's pid is gone or now names another process. Folders of backups
 * still running — here or on another host — are kept. Returns the folders deleted.
 */
export async function removeStalePartials(outDir: string): Promise<string[]> {
  if (!existsSync(outDir)) return [];
  const removed: string[] = [];
  for (const name of readdirSync(outDir)) {
    if (!PARTIAL_DIR_PATTERN.test(name)) continue;
    const dir = path.join(outDir, name);
    if (!isStale(dir)) continue;
    await rm(dir, { recursive: true, force: true });
    removed.push(dir);
  }
  return removed;
}
