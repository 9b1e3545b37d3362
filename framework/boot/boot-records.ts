import type { DatabaseEntry } from "../database/database-registry";
import type { Scheduler } from "../scheduler/scheduler";
import type { BootRecorder } from "../system/boot-recorder";
import type { OperationsLog } from "../system/operations-log";
import type { AutomaticChange } from "./automatic-changes";
import type { ModuleStatus } from "./module-status";

/** Name of the scheduler job that deletes operations-log entries past their retention. */
export const OPERATIONS_LOG_PRUNE_JOB = "operations-log:prune";

/** What a finished boot writes down. */
export interface BootRecordInput {
  readonly recorder: BootRecorder;
  readonly operations: OperationsLog;
  readonly modules: readonly ModuleStatus[];
  readonly databases: readonly DatabaseEntry[];
  readonly changes: readonly AutomaticChange[];
}

/**
 * Records a finished boot: modules, databases and the boot row (with every automatic change), one
 * operations-log entry for the boot naming those changes, and one per database that was refused.
 */
export async function recordBoot(input: BootRecordInput): Promise<void> {
  await input.recorder.finish(input.modules, input.databases, input.changes);
  const unhealthy = input.modules.filter((module) => !module.healthy).map((module) => module.name);
  const notReady = input.databases.filter((entry) => entry.state !== "ready");
  const parts = [`${input.modules.length} module(s), ${input.databases.length} database(s)`];
  if (input.changes.length > 0) parts.push(`${input.changes.length} automatic change(s): ${input.changes.map((change) => `${change.database}: ${change.description}`).join(" ")}`);
  if (unhealthy.length > 0) parts.push(`unhealthy: ${unhealthy.join(", ")}`);
  await input.operations.record({
    kind: "boot",
    outcome: unhealthy.length === 0 && notReady.length === 0 ? "ok" : "failed",
    message: `Booted: ${parts.join("; ")}.`,
    details: {
      automatic_changes: input.changes.map((change) => ({ database: change.database, kind: change.kind, description: change.description })),
      unhealthy_modules: unhealthy,
      databases: input.databases.map((entry) => ({ name: entry.name, state: entry.state })),
    },
  });
  for (const entry of notReady) {
    await input.operations.record({
      kind: "database.refused",
      outcome: "refused",
      database: entry.name,
      message: entry.problems.join(" ") || `Database '${entry.name}' is ${entry.state}.`,
      details: { state: entry.state, problems: entry.problems, refused_changes: entry.refused.map((change) => change.description) },
    });
  }
}

/** How often the operations log is pruned. */
export const OPERATIONS_LOG_PRUNE_INTERVAL_MS = 3_600_000;

/** Prunes the operations log now and then hourly, keeping `retentionDays` (0 keeps everything). */
export async function scheduleOperationsLogPruning(scheduler: Scheduler, operations: OperationsLog, retentionDays: number): Promise<void> {
  if (retentionDays <= 0) return;
  const prune = async () => {
    const pruned = await operations.prune(retentionDays);
    if (pruned.isErr()) throw new Error(pruned.error.message);
  };
  await prune().catch(() => undefined);
  scheduler.every(OPERATIONS_LOG_PRUNE_JOB, OPERATIONS_LOG_PRUNE_INTERVAL_MS, prune);
}
