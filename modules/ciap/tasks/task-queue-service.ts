import { errAsync, ok, okAsync, Result, type ResultAsync } from "neverthrow";
import { inject, injectable } from "tsyringe";
import type { EntityManager, Repository } from "typeorm";
import { DbErrorException, InjectDatabase, InjectRepository, ModuleDatabase, type DbError } from "../../../framework";
import { DATABASE_NAME, TaskQueue } from "../db-models";
import { attempt, recordNotFound } from "../shared/attempt";
import { CiapClock } from "../shared/clock";
import { invalid, optionalJsonObject, optionalText, requireId, requireInteger, requireOneOf, requireText } from "../shared/validate";
import {
  DEFAULT_MAX_RETRIES,
  DEFAULT_TASK_PRIORITY,
  HIGHEST_TASK_PRIORITY,
  LOWEST_TASK_PRIORITY,
  MAX_TASK_TYPE_LENGTH,
  type EnqueueOptions,
  type RetryReport,
  type TaskOutcome,
} from "./task-types";

/** Dequeue order: most urgent first, then first come, first served. */
const DEQUEUE_ORDER = { priority: "ASC", scheduled_at: "ASC", id: "ASC" } as const;

/**
 * A persistent priority queue of background tasks (`pending` → `processing` → `completed` | `failed`).
 * Handing out a task is atomic, so any number of workers, in this process or others sharing the
 * database file, never receive the same task.
 */
@injectable()
export class TaskQueueService {
  constructor(
    @InjectDatabase(DATABASE_NAME) private readonly db: ModuleDatabase,
    @InjectRepository(TaskQueue) private readonly tasks: Repository<TaskQueue>,
    @inject(CiapClock) private readonly clock: CiapClock,
  ) {}

  /** Adds a `pending` task; priority must be an integer from 1 (first) to 10 (last). */
  enqueue(taskType: string, payload: Record<string, unknown> | null = null, options: EnqueueOptions = {}): ResultAsync<TaskQueue, DbError> {
    const validated = Result.combine([
      requireText("task_type", taskType, MAX_TASK_TYPE_LENGTH),
      optionalJsonObject("payload", payload),
      requireInteger("priority", options?.priority ?? DEFAULT_TASK_PRIORITY, HIGHEST_TASK_PRIORITY, LOWEST_TASK_PRIORITY),
      requireInteger("max_retries", options?.maxRetries ?? DEFAULT_MAX_RETRIES, 0, 1000),
    ]);
    return validated.asyncAndThen(([validType, validPayload, priority, maxRetries]) =>
      this.db.transaction(async (manager) => {
        const task = manager.create(TaskQueue, {
          task_type: validType,
          payload: validPayload,
          priority,
          max_retries: maxRetries,
          status: "pending",
          scheduled_at: this.clock.now(),
        });
        // save, not insert: TypeORM's insert typing cannot take an open-ended JSON payload.
        const saved = await manager.save(task);
        return manager.findOneByOrFail(TaskQueue, { id: saved.id });
      }),
    );
  }

  /**
   * Hands out the most urgent, oldest pending task, marked `processing`, or `null` when none is
   * pending. The select and the conditional update (`WHERE id = ? AND status = 'pending'`) run in
   * one BEGIN IMMEDIATE transaction: in-process callers are serialised by the database's gate and
   * other processes by SQLite's write lock, so no two callers ever get the same task.
   */
  dequeue(): ResultAsync<TaskQueue | null, DbError> {
    return this.db.transaction(async (manager) => {
      for (;;) {
        const next = await manager.findOne(TaskQueue, { where: { status: "pending" }, order: DEQUEUE_ORDER });
        if (next === null) return null;
        const claimed = await manager
          .createQueryBuilder()
          .update(TaskQueue)
          .set({ status: "processing", started_at: this.clock.now(), completed_at: null })
          .where("id = :id AND status = :pending", { id: next.id, pending: "pending" })
          .execute();
        // Under the write lock the row cannot change in between; the condition is the belt to those braces.
        if (claimed.affected === 1) return manager.findOneByOrFail(TaskQueue, { id: next.id });
      }
    });
  }

  /**
   * Ends a `processing` task as `completed` (clearing any earlier error) or `failed` with `error`.
   * A missing task is RECORD_NOT_FOUND; a task that is not processing is VALIDATION_FAILED.
   */
  complete(taskId: number, outcome: TaskOutcome = "completed", error: string | null = null): ResultAsync<TaskQueue, DbError> {
    const validated = Result.combine([
      requireId("taskId", taskId),
      requireOneOf<TaskOutcome>("status", outcome, ["completed", "failed"]),
      optionalText("error", outcome === "completed" ? null : error, Number.MAX_SAFE_INTEGER),
    ]);
    return validated.asyncAndThen(([validId, validOutcome, validError]) =>
      this.db.transaction(async (manager) => {
        await this.requireStatus(manager, validId, "processing");
        await manager.update(TaskQueue, { id: validId }, { status: validOutcome, completed_at: this.clock.now(), error_message: validError });
        return manager.findOneByOrFail(TaskQueue, { id: validId });
      }),
    );
  }

  /**
   * Puts failed tasks that still have retries left back to `pending`, incrementing `retry_count`;
   * tasks that have used all `max_retries` stay `failed`. Limited to one task when `taskId` is given.
   */
  retryFailed(taskId?: number): ResultAsync<RetryReport, DbError> {
    const scope: Result<number | undefined, DbError> = taskId === undefined ? ok(undefined) : requireId("taskId", taskId);
    return scope.asyncAndThen((validId) =>
      this.db.transaction(async (manager) => {
        if (validId !== undefined) await this.requireStatus(manager, validId, "failed");
        const failed = await manager.find(TaskQueue, { where: validId === undefined ? { status: "failed" } : { id: validId }, order: DEQUEUE_ORDER });
        const retryable = failed.filter((task) => task.retry_count < task.max_retries);
        if (retryable.length > 0) {
          await manager
            .createQueryBuilder()
            .update(TaskQueue)
            .set({ status: "pending", retry_count: () => "retry_count + 1", started_at: null, completed_at: null })
            .whereInIds(retryable.map((task) => task.id))
            .andWhere("status = :failed", { failed: "failed" })
            .execute();
        }
        return { requeued: retryable.map((task) => task.id), exhausted: failed.length - retryable.length };
      }),
    );
  }

  /** Pending tasks in the order `dequeue` would hand them out, at most `limit` (1..1000, default 100). */
  pending(limit = 100): ResultAsync<TaskQueue[], DbError> {
    return requireInteger("limit", limit, 1, 1000).asyncAndThen((validLimit) => attempt(() => this.tasks.find({ where: { status: "pending" }, order: DEQUEUE_ORDER, take: validLimit })));
  }

  /** One task by id, or RECORD_NOT_FOUND. */
  get(taskId: number): ResultAsync<TaskQueue, DbError> {
    return requireId("taskId", taskId).asyncAndThen((validId) =>
      attempt(() => this.tasks.findOneBy({ id: validId })).andThen((task) => (task === null ? errAsync(recordNotFound("task_queue", validId)) : okAsync(task))),
    );
  }

  /** Aborts the surrounding transaction unless the task exists and is in `status`. */
  private async requireStatus(manager: EntityManager, taskId: number, status: string): Promise<void> {
    const task = await manager.findOneBy(TaskQueue, { id: taskId });
    if (task === null) throw new DbErrorException(recordNotFound("task_queue", taskId));
    if (task.status !== status) throw new DbErrorException(invalid("taskId", `names task ${taskId}, which is '${task.status}', not '${status}'.`, taskId));
  }
}
