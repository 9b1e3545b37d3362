import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import os from "node:os";

/**
 * Who a process is, beyond its pid: pids are reused, so a claim also records when its process
 * started. Two claims name the same process only when pid, host and start token all agree.
 */
export interface ProcessIdentity {
  readonly pid: number;
  readonly hostname: string;
  /**
   * An opaque token for the process' start: `linux:<boot id>:<start ticks>` from /proc (field 22 of
   * /proc/<pid>/stat), else `ps:<lstart>`; null where neither can be read.
   */
  readonly process_start: string | null;
}

let bootId: string | null | undefined;

function linuxBootId(): string | null {
  if (bootId === undefined) {
    try {
      bootId = readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim();
    } catch {
      bootId = null;
    }
  }
  return bootId;
}

/** Field 22 (starttime, in clock ticks since boot) of /proc/<pid>/stat; the command name may hold spaces and parentheses. */
function linuxStartTicks(pid: number): string | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return undefined;
  }
  const afterName = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // afterName[0] is field 3 (state), so field 22 is at index 19.
  return afterName[19];
}

/** The start token of a running process, or null when it cannot be read (or the process is gone). */
export function processStartToken(pid: number): string | null {
  if (process.platform === "linux") {
    const ticks = linuxStartTicks(pid);
    if (ticks !== undefined) return `linux:${linuxBootId() ?? "?"}:${ticks}`;
    return null;
  }
  if (process.platform === "win32") return null;
  try {
    const started = execFileSync("ps", ["-o", "lstart=", "-p", String(pid)], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], timeout: 2_000 }).trim();
    return started === "" ? null : `ps:${started}`;
  } catch {
    return null;
  }
}

let self: ProcessIdentity | undefined;

/** This process' identity (computed once). */
export function currentProcess(): ProcessIdentity {
  self ??= { pid: process.pid, hostname: os.hostname(), process_start: processStartToken(process.pid) };
  return self;
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

/** How a recorded identity relates to the processes running now. */
export type IdentityState = "alive" | "dead" | "unknown";

/**
 * Whether the process a claim names still runs: `dead` when its pid is gone or now belongs to a
 * process that started at another time (a reused pid); `unknown` for a claim from another host,
 * whose processes cannot be seen from here (such a claim must be treated as live).
 */
export function identityState(identity: ProcessIdentity): IdentityState {
  if (identity.hostname !== os.hostname()) return "unknown";
  if (!isProcessAlive(identity.pid)) return "dead";
  // Claims written before start tokens existed (or where none could be read) only have the pid.
  if (identity.process_start === null || identity.process_start === undefined) return "alive";
  const now = processStartToken(identity.pid);
  if (now === null) return isProcessAlive(identity.pid) ? "alive" : "dead";
  return now === identity.process_start ? "alive" : "dead";
}
