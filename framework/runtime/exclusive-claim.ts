import { mkdirSync } from "node:fs";
import { claimFilePath, readLiveClaims, removeClaimFile, writeClaimFile } from "./claim-files";
import { describeHolder, liveHolders, type HolderRecord } from "./holder-file";
import { currentProcess, type ProcessIdentity } from "./process-identity";

/** An announced intent to replace database files (a restore): nobody may open them meanwhile. */
export interface ExclusiveRecord extends ProcessIdentity {
  readonly purpose: string;
  readonly started_at: string;
  readonly databases: readonly string[];
}

/** Why an exclusive claim could not be taken. */
export interface ExclusiveConflict {
  /** Processes holding the databases open. */
  readonly holders: readonly HolderRecord[];
  /** Other processes that already claimed the databases exclusively. */
  readonly claims: readonly ExclusiveRecord[];
  readonly message: string;
}

/** A taken exclusive claim; release it when the files are in place. */
export interface ExclusiveClaim {
  readonly file: string;
  release(): void;
}

function overlaps(a: readonly string[], b: readonly string[]): boolean {
  return a.some((name) => b.includes(name));
}

/** Live exclusive claims of other processes on any of `databases`. */
export function liveExclusiveClaims(dataDir: string, databases: readonly string[]): ExclusiveRecord[] {
  const self = currentProcess();
  return readLiveClaims<ExclusiveRecord>(dataDir, "exclusive")
    .map((claim) => claim.record)
    .filter((record) => !(record.pid === self.pid && record.hostname === self.hostname) && overlaps(record.databases ?? [], databases));
}

/**
 * Claims `databases` exclusively, or says who is in the way. The claim file is written first and
 * the holders are read after it, while boot writes its holder file first and reads exclusive claims
 * after it: whichever comes second sees the other, so a restore and a booting server can never
 * both go ahead. On a conflict the claim is withdrawn again and nothing else changes.
 */
export function claimExclusive(dataDir: string, purpose: string, databases: readonly string[]): { claim: ExclusiveClaim } | { conflict: ExclusiveConflict } {
  mkdirSync(dataDir, { recursive: true });
  const file = claimFilePath(dataDir, "exclusive");
  const record: ExclusiveRecord = { ...currentProcess(), purpose, started_at: new Date().toISOString(), databases: [...databases] };
  writeClaimFile(file, record);
  // This process' own framework counts too: a program may not restore files it has open itself.
  const holders = liveHolders(dataDir, { databases, exceptSelf: false });
  const claims = liveExclusiveClaims(dataDir, databases);
  if (holders.length === 0 && claims.length === 0) return { claim: { file, release: () => removeClaimFile(file) } };
  removeClaimFile(file);
  const parts = [
    ...holders.map((holder) => `held by ${describeHolder(holder)}: ${holder.databases.filter((name) => databases.includes(name)).join(", ")}`),
    ...claims.map((claim) => `a ${claim.purpose} by pid ${claim.pid} on ${claim.hostname} is in progress`),
  ];
  return { conflict: { holders, claims, message: parts.join("; ") } };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Waits until no other process claims any of `databases` exclusively (a restore in progress), for
 * at most `timeoutMs`. Resolves with the claims still in the way when time ran out (empty when free).
 */
export async function waitForExclusiveClaims(dataDir: string, databases: readonly string[], timeoutMs: number, pollMs = 50): Promise<ExclusiveRecord[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const claims = liveExclusiveClaims(dataDir, databases);
    if (claims.length === 0 || Date.now() >= deadline) return claims;
    await sleep(pollMs);
  }
}
