/** Priority of a task when none is given (1 = highest, 10 = lowest). */
export const DEFAULT_TASK_PRIORITY = 5;
/** The most urgent priority. */
export const HIGHEST_TASK_PRIORITY = 1;
/** The least urgent priority. */
export const LOWEST_TASK_PRIORITY = 10;
/** Retries a failed task gets when none is given. */
export const DEFAULT_MAX_RETRIES = 3;
/** Longest `task_queue.task_type`. */
export const MAX_TASK_TYPE_LENGTH = 100;

/** Options of `TaskQueueService.enqueue`. */
export interface EnqueueOptions {
  /** 1 (runs first) to 10 (runs last); defaults to 5. */
  readonly priority?: number;
  /** How often the task may be retried after failing; defaults to 3. */
  readonly maxRetries?: number;
  /** Not handed out before this instant (delayed scheduling); unset: as soon as it is its turn. */
  readonly runAfter?: Date;
}

/** Options of `TaskQueueService.dequeue`. */
export interface DequeueOptions {
  /** How long the task stays the caller's (1..86400 s); defaults to `CIAP_TASK_LEASE_SECONDS` (300). */
  readonly leaseSeconds?: number;
}

/** How a processed task ended. */
export type TaskOutcome = "completed" | "failed";

/** What `TaskQueueService.retryFailed` did. */
export interface RetryReport {
  /** Ids of the failed tasks put back to `pending` (their `retry_count` went up by one). */
  readonly requeued: number[];
  /** Failed tasks left failed because they had used up `max_retries`. */
  readonly exhausted: number;
}
