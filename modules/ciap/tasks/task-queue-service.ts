import { errAsync, ok, okAsync, Result, type ResultAsync } from "neverthrow";
import { inject, injectable } from "tsyringe";
import type { EntityManager, Repository } from "typeorm";
import { DbErrorException, InjectDatabase, InjectRepository, ModuleDatabase, type DbError } from "../../../framework";
import { DATABASE_NAME, TaskQueue } from "../db-models";
import { attempt, recordNotFound } from "../shared/attempt";
import { CiapClock } from "../shared/clock";
import { invalid, optionalInstant, optionalJsonObject, optionalText, requireId, requireInteger, requireOneOf, requireText } from "../shared/validate";
import { claimNextTask, DEQUEUE_ORDER, reclaimExpiredLeases } from "./task-lease";
import { backoffDelayMs, loadTaskQueueSettings, type TaskQueueSettings } from "./task-settings";
import {
  DEFAULT_MAX_RETRIES,
  DEFAULT_TASK_PRIORITY,
  HIGHEST_TASK_PRIORITY,
  LOWEST_TASK_PRIORITY,
  MAX_TASK_TYPE_LENGTH,
  type DequeueOptions,
  type EnqueueOptions,
  type RetryReport,
  type TaskOutcome,
} from "./task-types";

/**
 * A persistent priority queue of background tasks (`pending` → `processing` → `completed` | `failed`)
 * that heals itself:
 * - a dequeued task is leased (`lease_until`, `lease_token`); when its worker dies or stalls, the
 *   next dequeue after the lease ends takes it back, counted as a retry;
 * - a task may wait for a moment of its own (`run_after`);
 * - a task that fails with retries left goes back to `pending` with exponential, jittered backoff
 *   (`run_after = now + base·2^retry_count`) and is `failed` only once `max_retries` is spent.
 * Every change happens in one BEGIN IMMEDIATE transaction: in-process callers are serialised by the
 * database's gate and other processes by SQLite's write lock, so no two workers hold the same task.
 */
@injectable()
export class TaskQueueService {
  private readonly settings: TaskQueueSettings;

  constructor(
    @InjectDatabase(DATABASE_NAME) private readonly db: ModuleDatabase,
    @InjectRepository(TaskQueue) private readonly tasks: Repository<TaskQueue>,
    @inject(CiapClock) private readonly clock: CiapClock,
  ) {
    this.settings = loadTaskQueueSettings();
  }

  /** Adds a `pending` task; priority must be an integer from 1 (first) to 10 (last); `runAfter` delays it. */
  enqueue(taskType: string, payload: Record<string, unknown> | null = null, options: EnqueueOptions = {}): ResultAsync<TaskQueue, DbError> {
    const validated = Result.combine([
      requireText("task_type", taskType, MAX_TASK_TYPE_LENGTH),
      optionalJsonObject("payload", payload),
      requireInteger("priority", options?.priority ?? DEFAULT_TASK_PRIORITY, HIGHEST_TASK_PRIORITY, LOWEST_TASK_PRIORITY),
      requireInteger("max_retries", options?.maxRetries ?? DEFAULT_MAX_RETRIES, 0, 1000),
      optionalInstant("runAfter", options?.runAfter),
    ]);
    return validated.asyncAndThen(([validType, validPayload, priority, maxRetries, runAfter]) =>
      this.db.transaction(async (manager) => {
        const task = manager.create(TaskQueue, {
          task_type: validType,
          payload: validPayload,
          priority,
          max_retries: maxRetries,
          status: "pending",
          scheduled_at: this.clock.now(),
          run_after: runAfter,
        });
        // save, not insert: TypeORM's insert typing cannot take an open-ended JSON payload.
        const saved = await manager.save(task);
        return manager.findOneByOrFail(TaskQueue, { id: saved.id });
      }),
    );
  }

  /**
   * Hands out the most urgent, oldest due task, marked `processing` under a lease of
   * `leaseSeconds` (default `CIAP_TASK_LEASE_SECONDS`), or `null` when none is due. First it takes
   * back every task whose lease expired (see `reclaimExpiredLeases`), so a task a dead worker held
   * is handed out again by the first dequeue after its lease. Keep the returned `lease_token`:
   * `complete` and `renewLease` use it to tell the current holder from one whose lease was taken over.
   */
  dequeue(options: DequeueOptions = {}): ResultAsync<TaskQueue | null, DbError> {
    return requireInteger("leaseSeconds", options?.leaseSeconds ?? this.settings.leaseSeconds, 1, 86_400).asyncAndThen((leaseSeconds) =>
      this.db.transaction(async (manager) => {
        const now = this.clock.now();
        await reclaimExpiredLeases(manager, now);
        return claimNextTask(manager, now, leaseSeconds);
      }),
    );
  }

  /** Extends the lease of a task its caller still holds (`leaseToken` from `dequeue`) to `leaseSeconds` from now. */
  renewLease(taskId: number, leaseToken: string, leaseSeconds?: number): ResultAsync<TaskQueue, DbError> {
    const validated = Result.combine([requireId("taskId", taskId), requireText("leaseToken", leaseToken, 36), requireInteger("leaseSeconds", leaseSeconds ?? this.settings.leaseSeconds, 1, 86_400)]);
    return validated.asyncAndThen(([validId, token, seconds]) =>
      this.db.transaction(async (manager) => {
        await this.requireHolder(manager, validId, token);
        await manager.update(TaskQueue, { id: validId }, { lease_until: new Date(this.clock.now().getTime() + seconds * 1000) });
        return manager.findOneByOrFail(TaskQueue, { id: validId });
      }),
    );
  }

  /**
   * Ends a `processing` task. `completed` clears any earlier error. `failed` with retries left
   * puts it back to `pending` with `retry_count + 1` and `run_after = now + base·2^retry_count`
   * (jittered, see `backoffDelayMs`); with `max_retries` spent it ends `failed`. With `leaseToken`
   * (from `dequeue`), a caller whose lease was reclaimed meanwhile is refused and nothing changes,
   * so a task is completed once even when a stalled worker wakes up late.
   * A missing task is RECORD_NOT_FOUND; a task that is not processing, or not under that lease, is VALIDATION_FAILED.
   */
  complete(taskId: number, outcome: TaskOutcome = "completed", error: string | null = null, leaseToken?: string): ResultAsync<TaskQueue, DbError> {
    const validated = Result.combine([
      requireId("taskId", taskId),
      requireOneOf<TaskOutcome>("status", outcome, ["completed", "failed"]),
      optionalText("error", outcome === "completed" ? null : error, Number.MAX_SAFE_INTEGER),
      optionalText("leaseToken", leaseToken, 36),
    ]);
    return validated.asyncAndThen(([validId, validOutcome, validError, token]) =>
      this.db.transaction(async (manager) => {
        const task = token === null ? await this.requireStatus(manager, validId, "processing") : await this.requireHolder(manager, validId, token);
        const now = this.clock.now();
        const released = { lease_until: null, lease_token: null, error_message: validError };
        if (validOutcome === "failed" && task.retry_count < task.max_retries) {
          const runAfter = new Date(now.getTime() + backoffDelayMs(task.retry_count, this.settings));
          await manager.update(TaskQueue, { id: validId }, { ...released, status: "pending", retry_count: task.retry_count + 1, run_after: runAfter, started_at: null, completed_at: null });
        } else {
          await manager.update(TaskQueue, { id: validId }, { ...released, status: validOutcome, completed_at: now });
        }
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
            .set({ status: "pending", retry_count: () => "retry_count + 1", started_at: null, completed_at: null, run_after: null, lease_until: null, lease_token: null })
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

  /** The task, or the surrounding transaction aborts unless it exists and is in `status`. */
  private async requireStatus(manager: EntityManager, taskId: number, status: string): Promise<TaskQueue> {
    const task = await manager.findOneBy(TaskQueue, { id: taskId });
    if (task === null) throw new DbErrorException(recordNotFound("task_queue", taskId));
    if (task.status !== status) throw new DbErrorException(invalid("taskId", `names task ${taskId}, which is '${task.status}', not '${status}'.`, taskId));
    return task;
  }

  /** The task, or the surrounding transaction aborts unless it is `processing` under the lease `token` names. */
  private async requireHolder(manager: EntityManager, taskId: number, token: string): Promise<TaskQueue> {
    const task = await this.requireStatus(manager, taskId, "processing");
    if (task.lease_token !== token) {
      throw new DbErrorException(invalid("leaseToken", `does not hold task ${taskId} any more: its lease expired and the task was handed out again; this result was not recorded.`));
    }
    return task;
  }
}
