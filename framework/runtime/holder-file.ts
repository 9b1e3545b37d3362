import { mkdirSync } from "node:fs";
import { claimFilePath, readLiveClaims, removeClaimFile, writeClaimFile } from "./claim-files";
import { currentProcess, type ProcessIdentity } from "./process-identity";

/**
 * What a holder does with the databases it has open. `write` holders (servers, applications, CLI
 * commands that change data) make out-of-process schema changes refuse or go through them; `read`
 * holders (CLI read commands) only keep a restore from swapping files under them.
 */
export type HolderAccess = "read" | "write";

/** Where a holder is in its life. */
export type HolderState = "booting" | "ready" | "serving" | "stopping";

/** What a running framework writes about itself into its data dir. */
export interface HolderRecord extends ProcessIdentity {
  /** Who holds: `server` (npm start), `cli`, or `app` (any other program that booted the framework). */
  readonly role: string;
  readonly access: HolderAccess;
  readonly state: HolderState;
  readonly started_at: string;
  /** The databases this process has open (while booting: the ones it is about to open). */
  readonly databases: readonly string[];
  /**
   * The base URL of this process' HTTP API once it serves (null before, and for processes without
   * one). Other processes carry out migrations through it instead of changing files under it.
   */
  readonly admin_url: string | null;
}

/** The holder file of process `pid` in `dataDir`: `.moduledb-holder-<pid>.json`. */
export function holderFilePath(dataDir: string, pid = process.pid): string {
  return claimFilePath(dataDir, "holder", pid);
}

/** What a new claim says about the process. */
export interface HolderClaimOptions {
  readonly databases: readonly string[];
  readonly access?: HolderAccess;
  readonly role?: string;
}

/** This process' claim on a data dir: updated as boot goes on, withdrawn at shutdown. */
export class HolderClaim {
  private current: HolderRecord;
  private released = false;

  constructor(
    /** The holder file. */
    readonly file: string,
    record: HolderRecord,
  ) {
    this.current = record;
  }

  /** The record as last written. */
  get record(): HolderRecord {
    return this.current;
  }

  /** Rewrites the claim with some fields changed (state, databases, admin URL). */
  update(change: Partial<Pick<HolderRecord, "state" | "databases" | "admin_url">>): void {
    if (this.released) return;
    this.current = { ...this.current, ...change };
    writeClaimFile(this.file, this.current);
  }

  /** Withdraws the claim; later calls do nothing. */
  release(): void {
    if (this.released) return;
    this.released = true;
    removeClaimFile(this.file);
  }
}

/**
 * Announces that this process holds (or is about to open) `databases`: writes
 * `<dataDir>/.moduledb-holder-<pid>.json` with the process' pid and start token. Boot takes this
 * claim before it opens any database, so a restore that starts at any moment sees it.
 * One file per process, so a CLI booting next to a running server does not overwrite its claim.
 */
export function claimHolder(dataDir: string, options: HolderClaimOptions): HolderClaim {
  mkdirSync(dataDir, { recursive: true });
  const record: HolderRecord = {
    ...currentProcess(),
    role: options.role ?? "app",
    access: options.access ?? "write",
    state: "booting",
    started_at: new Date().toISOString(),
    databases: [...options.databases],
    admin_url: null,
  };
  const claim = new HolderClaim(holderFilePath(dataDir), record);
  writeClaimFile(claim.file, record);
  return claim;
}

/** Options of {@link liveHolders}. */
export interface LiveHolderFilter {
  /** Leave this process' own claim out (default true). */
  readonly exceptSelf?: boolean;
  /** Only holders with this access. */
  readonly access?: HolderAccess;
  /** Only holders of at least one of these databases (any database when absent). */
  readonly databases?: readonly string[];
}

/**
 * The live holders of a data dir. Holder files of processes that are gone (a dead pid, or a pid
 * reused by a process that started later) are deleted on the way; a file from another host counts
 * as live because its process cannot be checked from here.
 */
export function liveHolders(dataDir: string, filter: LiveHolderFilter = {}): HolderRecord[] {
  const self = currentProcess();
  return readLiveClaims<HolderRecord>(dataDir, "holder")
    .map((claim) => claim.record)
    .filter((record) => !((filter.exceptSelf ?? true) && record.pid === self.pid && record.hostname === self.hostname))
    .filter((record) => filter.access === undefined || (record.access ?? "write") === filter.access)
    .filter((record) => filter.databases === undefined || (record.databases ?? []).some((name) => filter.databases?.includes(name) === true));
}

/** One line naming a holder, for error messages: `pid 123 on host (server, serving at http://…)`. */
export function describeHolder(holder: HolderRecord): string {
  const where = holder.admin_url === null || holder.admin_url === undefined ? "" : ` at ${holder.admin_url}`;
  return `pid ${holder.pid} on ${holder.hostname} (${holder.role ?? "app"}, ${holder.state ?? "ready"}${where})`;
}
