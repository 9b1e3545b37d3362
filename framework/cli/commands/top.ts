import type { Command } from "commander";
import { topSnapshot, type TopSnapshot } from "../../metrics/top-snapshot";
import type { MetricFamilyJson } from "../../metrics/framework-metrics";
import { liveHolders, type HolderRecord } from "../../runtime/holder-file";
import type { CliContext } from "../cli-context";
import { printJson } from "../output";
import { answerFailure, callHolder } from "../through-holder";
import { renderTop } from "../top-view";
import { CliFailure } from "../exit-codes";

interface TopOptions {
  readonly json?: boolean;
  readonly interval?: string;
}

/** ANSI: cursor home and clear the screen, so every refresh replaces the previous one. */
const CLEAR = "\u001b[H\u001b[2J";

/** A live holder that serves an API: its `/metrics` has the figures of the process doing the work. */
function servingHolder(dataDir: string): (HolderRecord & { admin_url: string }) | undefined {
  return liveHolders(dataDir, { access: "write" }).find((holder): holder is HolderRecord & { admin_url: string } => typeof holder.admin_url === "string" && holder.admin_url !== "");
}

/**
 * Where snapshots come from: the serving process' `/metrics` when one holds the databases,
 * otherwise this process' own framework, booted read-only (file sizes and states are true; the
 * activity counters then only count what this process did).
 */
async function snapshotSource(context: CliContext): Promise<() => Promise<TopSnapshot>> {
  const holder = servingHolder(context.settings().dataDir);
  if (holder !== undefined) {
    return async () => {
      const answer = await callHolder(holder, "GET", "/metrics?format=json");
      if (answer.status !== 200) throw answerFailure(answer);
      return topSnapshot(answer.body as MetricFamilyJson[], { kind: "server", url: holder.admin_url, pid: holder.pid });
    };
  }
  const framework = await context.boot("read");
  return async () => topSnapshot(await framework.metrics.json(), { kind: "direct" });
}

function intervalOf(raw: string | undefined): number {
  const value = raw === undefined ? 1000 : Number(raw);
  if (!Number.isInteger(value) || value < 100 || value > 60_000) throw new CliFailure("VALIDATION_FAILED", `Invalid --interval '${raw}': expected milliseconds between 100 and 60000.`, { interval: raw }, 2);
  return value;
}

/** Refreshes the view every `intervalMs` until q, Ctrl-C or the end of stdin. */
async function watch(next: () => Promise<TopSnapshot>, intervalMs: number): Promise<void> {
  let previous: TopSnapshot | undefined;
  let stop!: () => void;
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  const input = process.stdin;
  const onKey = (key: Buffer) => {
    const text = key.toString();
    if (text === "q" || text === "\u0003") stop();
  };
  if (input.isTTY) {
    input.setRawMode(true);
    input.resume();
    input.on("data", onKey);
  }
  process.once("SIGINT", stop);
  try {
    for (;;) {
      const snapshot = await next();
      process.stdout.write(`${CLEAR}${renderTop(snapshot, previous ?? snapshot)}\n`);
      previous = snapshot;
      const tick = new Promise<"tick">((resolve) => setTimeout(() => resolve("tick"), intervalMs).unref());
      if ((await Promise.race([tick, stopped.then(() => "stop" as const)])) === "stop") return;
    }
  } finally {
    process.off("SIGINT", stop);
    if (input.isTTY) {
      input.off("data", onKey);
      input.setRawMode(false);
      input.pause();
    }
  }
}

/** `top`: a live view of every database's figures, refreshed every second; `--json` prints one snapshot. */
export function registerTop(program: Command, context: CliContext): void {
  program
    .command("top")
    .description("live view of every database (statements, transactions, gate waits, lock retries, sizes, checkpoints), the API, the cache and the process; through the serving process when one holds the databases")
    .option("--json", "print one snapshot as JSON and exit")
    .option("--interval <ms>", "refresh interval of the live view in milliseconds (default 1000)")
    .action(async (options: TopOptions) => {
      const interval = intervalOf(options.interval);
      const next = await snapshotSource(context);
      if (options.json === true) {
        printJson(await next());
        return;
      }
      // Not a terminal (a pipe, a file): one snapshot as text, nothing to refresh.
      if (process.stdout.isTTY !== true) {
        process.stdout.write(`${renderTop(await next())}\n`);
        return;
      }
      await watch(next, interval);
    });
}
