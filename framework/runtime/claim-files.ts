import { readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { identityState, isProcessAlive, type ProcessIdentity } from "./process-identity";

/** The kinds of claim file a data dir can hold: `.moduledb-<kind>-<pid>.json`. */
export type ClaimKind = "holder" | "exclusive";

const CLAIM_FILE = /^\.moduledb-(holder|exclusive)-(\d+)\.json(\.tmp)?$/;

/** The claim file of kind `kind` of process `pid` in `dataDir`. */
export function claimFilePath(dataDir: string, kind: ClaimKind, pid = process.pid): string {
  return path.join(dataDir, `.moduledb-${kind}-${pid}.json`);
}

/**
 * Writes a claim atomically (a temporary file renamed over the claim), so a reader never sees
 * half a record.
 */
export function writeClaimFile(file: string, record: object): void {
  const temporary = `${file}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(record, null, 2)}\n`);
  renameSync(temporary, file);
}

/** Removes a claim file; a missing one is fine. */
export function removeClaimFile(file: string): void {
  rmSync(file, { force: true });
  rmSync(`${file}.tmp`, { force: true });
}

/** A claim file read back, with the file it came from. */
export interface ReadClaim<T> {
  readonly file: string;
  readonly record: T;
}

/**
 * The live claims of one kind in a data dir. Claims of processes that are gone — a dead pid, or a
 * pid now used by a process that started at another time — are deleted on the way (so files left by
 * `kill -9` do not pile up); a claim from another host counts as live because its process cannot
 * be checked from here. Unreadable files are deleted only when the pid in their name is dead.
 */
export function readLiveClaims<T extends ProcessIdentity>(dataDir: string, kind: ClaimKind): ReadClaim<T>[] {
  let names: string[];
  try {
    names = readdirSync(dataDir);
  } catch {
    return [];
  }
  const live: ReadClaim<T>[] = [];
  for (const name of names) {
    const match = CLAIM_FILE.exec(name);
    if (match === null || match[1] !== kind) continue;
    const file = path.join(dataDir, name);
    const pid = Number(match[2]);
    if (match[3] !== undefined) {
      // A temporary file is only in flight while its writer lives.
      if (!isProcessAlive(pid)) rmSync(file, { force: true });
      continue;
    }
    let record: T;
    try {
      record = JSON.parse(readFileSync(file, "utf8")) as T;
    } catch {
      if (!isProcessAlive(pid)) rmSync(file, { force: true });
      continue;
    }
    if (typeof record !== "object" || record === null || typeof record.pid !== "number") {
      if (!isProcessAlive(pid)) rmSync(file, { force: true });
      continue;
    }
    if (identityState(record) === "dead") {
      rmSync(file, { force: true });
      continue;
    }
    live.push({ file, record });
  }
  return live;
}
