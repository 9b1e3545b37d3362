import { randomUUID } from "node:crypto";
import { Brackets, type EntityManager } from "typeorm";
import { TaskQueue } from "../db-models";

/** Dequeue order: most urgent first, then first come, first served. */
export const DEQUEUE_ORDER = { priority: "ASC", scheduled_at: "ASC", id: "ASC" } as const;

/** What reclaiming expired leases did. */
export interface ReclaimReport {
  /** Tasks put back to `pending` (each counted as a retry). */
  readonly requeued: number;
  /** Tasks whose lease expired with no retry left: now `failed`. */
  readonly failed: number;
}

/**
 * Takes back every `processing` task whose lease ended before `now`: its worker died or stalled.
 * Each counts as a retry: with retries left it is `pending` again at once (the dequeue that
 * reclaims it may hand it out), otherwise it ends `failed`. Runs inside the dequeue's write
 * transaction, so two processes never reclaim the same task.
 */
export async function reclaimExpiredLeases(manager: EntityManager, now: Date): Promise<ReclaimReport> {
  const expired = (): Brackets => new Brackets((where) => where.where("status = :processing", { processing: "processing" }).andWhere("lease_until < :now", { now }));
  const message = `Its lease expired (reclaimed at ${now.toISOString()}): the worker stopped before completing it.`;
  const requeued = await manager
    .createQueryBuilder()
    .update(TaskQueue)
    .set({ status: "pending", retry_count: () => "retry_count + 1", run_after: null, lease_until: null, lease_token: null, started_at: null, error_message: message })
    .where(expired())
    .andWhere("retry_count < max_retries")
    .execute();
  const failed = await manager
    .createQueryBuilder()
    .update(TaskQueue)
    .set({ status: "failed", lease_until: null, lease_token: null, completed_at: now, error_message: `${message} No retry is left (max_retries spent).` })
    .where(expired())
    .execute();
  return { requeued: requeued.affected ?? 0, failed: failed.affected ?? 0 };
}

/**
 * Marks the most urgent due task `processing` under a new lease and returns it, or null when no
 * pending task is due. "Due": `run_after` is unset or not after `now`.
 */
export async function claimNextTask(manager: EntityManager, now: Date, leaseSeconds: number): Promise<TaskQueue | null> {
  for (;;) {
    const next = await manager
      .createQueryBuilder(TaskQueue, "task")
      .where("task.status = :pending", { pending: "pending" })
      .andWhere(new Brackets((due) => due.where("task.run_after IS NULL").orWhere("task.run_after <= :now", { now })))
      .orderBy("task.priority", "ASC")
      .addOrderBy("task.scheduled_at", "ASC")
      .addOrderBy("task.id", "ASC")
      // getOne() alone sends no LIMIT: SQLite would sort every pending task to hand out one.
      .limit(1)
      .getOne();
    if (next === null) return null;
    const claimed = await manager
      .createQueryBuilder()
      .update(TaskQueue)
      .set({ status: "processing", started_at: now, completed_at: null, lease_until: new Date(now.getTime() + leaseSeconds * 1000), lease_token: randomUUID() })
      .where("id = :id AND status = :pending", { id: next.id, pending: "pending" })
      .execute();
    // Under the write lock the row cannot change in between; the condition is the belt to those braces.
    if (claimed.affected === 1) return manager.findOneByOrFail(TaskQueue, { id: next.id });
  }
}
