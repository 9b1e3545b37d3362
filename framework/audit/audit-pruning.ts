import type { DatabaseRegistry } from "../database/database-registry";
import type { Scheduler } from "../scheduler/scheduler";
import { pruneAudit } from "./audit-log";

/** Name of the scheduler job that deletes audit rows past `AUDIT_RETENTION_DAYS`. */
export const AUDIT_PRUNE_JOB = "audit:prune";

/** How often the audit trails are pruned. */
export const AUDIT_PRUNE_INTERVAL_MS = 3_600_000;

/**
 * Prunes the audit trail of every open database (the framework's own included), at once and
 * then hourly, keeping `retentionDays` (0 keeps everything). A database that fails is reported
 * by the job's failure and does not stop the others being pruned. Returns the rows deleted.
 */
export async function pruneAuditTrails(registry: DatabaseRegistry, retentionDays: number, now = Date.now()): Promise<number> {
  let pruned = 0;
  const failures: string[] = [];
  for (const database of registry.open()) {
    const result = await pruneAudit(database, retentionDays, now);
    if (result.isOk()) pruned += result.value;
    else failures.push(`${database.name}: ${result.error.message}`);
  }
  if (failures.length > 0) throw new Error(`Pruning the audit trail failed for ${failures.join("; ")}`);
  return pruned;
}

/** Schedules {@link pruneAuditTrails} (the same pattern as the operations log's retention). */
export async function scheduleAuditPruning(scheduler: Scheduler, registry: DatabaseRegistry, retentionDays: number): Promise<void> {
  if (retentionDays <= 0) return;
  const prune = () => pruneAuditTrails(registry, retentionDays);
  await prune().catch(() => undefined);
  scheduler.every(AUDIT_PRUNE_JOB, AUDIT_PRUNE_INTERVAL_MS, prune);
}
