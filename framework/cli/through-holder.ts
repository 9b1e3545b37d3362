import { describeHolder, liveHolders, type HolderRecord } from "../runtime/holder-file";
import { CliFailure } from "./exit-codes";

/** How long the CLI waits for a holder's HTTP API to answer. */
const HOLDER_TIMEOUT_MS = 120_000;

/** A holder's answer. */
export interface HolderAnswer {
  readonly status: number;
  readonly body: unknown;
}

/** The holder that carried a command out, as reported in the command's output. */
export interface CarriedOutBy {
  readonly pid: number;
  readonly hostname: string;
  readonly admin_url: string;
}

/** Other live processes holding any of `databases` (all of them when undefined) for writing. */
export function writeHolders(dataDir: string, databases?: readonly string[]): HolderRecord[] {
  return liveHolders(dataDir, { access: "write", ...(databases === undefined ? {} : { databases }) });
}

/** The holders' view for error details. */
function holderDetails(holders: readonly HolderRecord[]): Record<string, unknown>[] {
  return holders.map((holder) => ({ pid: holder.pid, hostname: holder.hostname, role: holder.role ?? "app", state: holder.state ?? "ready", admin_url: holder.admin_url ?? null, databases: holder.databases }));
}

/** DATABASE_IN_USE naming the holders: the command would change files under them. */
export function inUse(what: string, holders: readonly HolderRecord[], advice: string): CliFailure {
  return new CliFailure("DATABASE_IN_USE", `Refusing to ${what}: held by ${holders.map(describeHolder).join("; ")}. ${advice}`, { holders: holderDetails(holders) });
}

/**
 * The holder that can carry out a schema change: every holder must serve an HTTP API (a holder
 * that does not — still booting, or a program without a server — cannot be told to reload, so the
 * change is refused instead of being made under it).
 */
export function serverFor(what: string, holders: readonly HolderRecord[]): HolderRecord & { admin_url: string } {
  const silent = holders.filter((holder) => holder.admin_url === null || holder.admin_url === undefined);
  if (silent.length > 0) {
    throw inUse(what, holders, "It serves no HTTP API this command could go through (yet): stop it, or wait until it serves, and run the command again.");
  }
  return holders[0] as HolderRecord & { admin_url: string };
}

/** Calls a holder's HTTP API with the API token (when `API_TOKEN` is set). */
export async function callHolder(holder: HolderRecord & { admin_url: string }, method: "GET" | "POST", path: string, body?: unknown): Promise<HolderAnswer> {
  const headers: Record<string, string> = {};
  const token = process.env.API_TOKEN?.trim();
  if (token !== undefined && token !== "") headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  let response: Response;
  try {
    response = await fetch(`${holder.admin_url}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }), signal: AbortSignal.timeout(HOLDER_TIMEOUT_MS) });
  } catch (error) {
    throw new CliFailure("DATABASE_IN_USE", `${describeHolder(holder)} holds the database but did not answer ${method} ${path}: ${error instanceof Error ? error.message : String(error)}. Nothing was changed from here.`, {
      holders: holderDetails([holder]),
    });
  }
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = { error: { code: "INTERNAL_ERROR", message: text.slice(0, 500) } };
  }
  return { status: response.status, body: parsed };
}

/** The API's error of an answer as a CLI failure (`{ error: { code, message, details } }`). */
export function answerFailure(answer: HolderAnswer): CliFailure {
  const error = (answer.body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | undefined)?.error;
  const code = typeof error?.code === "string" ? error.code : "INTERNAL_ERROR";
  const message = typeof error?.message === "string" ? error.message : `The server answered ${answer.status}.`;
  const details = typeof error?.details === "object" && error.details !== null ? (error.details as Record<string, unknown>) : {};
  return new CliFailure(code, message, details);
}

/** Asks every other holder to re-check `databases` after one of them changed them. */
export async function reloadOthers(holders: readonly (HolderRecord & { admin_url: string })[], databases: readonly string[]): Promise<void> {
  for (const holder of holders) {
    for (const database of databases) {
      if (holder.databases.includes(database)) await callHolder(holder, "POST", `/api/v1/db/databases/${encodeURIComponent(database)}/reload`, {}).catch(() => undefined);
    }
  }
}

/** Who carried a command out. */
export function carriedOutBy(holder: HolderRecord & { admin_url: string }): CarriedOutBy {
  return { pid: holder.pid, hostname: holder.hostname, admin_url: holder.admin_url };
}
