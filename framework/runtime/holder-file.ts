import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

/** What a running framework writes about itself into its data dir. */
export interface HolderRecord {
  readonly pid: number;
  readonly hostname: string;
  readonly started_at: string;
  /** The databases this process has open. */
  readonly databases: readonly string[];
}

const HOLDER_FILE = /^\.moduledb-holder-(\d+)\.json$/;

/** The holder file of process `pid` in `dataDir`. */
export function holderFilePath(dataDir: string, pid = process.pid): string {
  return path.join(dataDir, `.moduledb-holder-${pid}.json`);
}

/**
 * Announces that this process holds `databases` open: writes `<dataDir>/.moduledb-holder-<pid>.json`.
 * One file per process, so the CLI booting next to a running server does not overwrite the server's claim.
 */
export function writeHolderFile(dataDir: string, databases: readonly string[]): string {
  const file = holderFilePath(dataDir);
  const record: HolderRecord = { pid: process.pid, hostname: os.hostname(), started_at: new Date().toISOString(), databases: [...databases] };
  writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`);
  return file;
}

/** Withdraws this process' claim; a missing file is fine. */
export function removeHolderFile(file: string): void {
  rmSync(file, { force: true });
}

/** True when a process with this pid exists (EPERM means it exists but belongs to someone else). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * The live holders of a data dir: holder files whose pid is still running on this host. Files left
 * by a crashed process (dead pid) are ignored; a file from another host counts as live because its
 * pid cannot be checked from here.
 */
export function liveHolders(dataDir: string): HolderRecord[] {
  let names: string[];
  try {
    names = readdirSync(dataDir);
  } catch {
    return [];
  }
  const holders: HolderRecord[] = [];
  for (const name of names) {
    if (!HOLDER_FILE.test(name)) continue;
    try {
      const record = JSON.parse(readFileSync(path.join(dataDir, name), "utf8")) as HolderRecord;
      if (record.hostname !== os.hostname() || isProcessAlive(record.pid)) holders.push(record);
    } catch {
      // A half-written or foreign file says nothing reliable; ignore it.
    }
  }
  return holders;
}
