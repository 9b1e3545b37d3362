import { err, ok, type Result } from "neverthrow";
import { scraperError, type ScraperError } from "../support/scraper-error";

/** A job's lifecycle states (seed 002). */
export const JOB_STATUSES = ["pending", "running", "completed", "failed"] as const;
/** A job's state. */
export type JobStatus = (typeof JOB_STATUSES)[number];

/** The only moves allowed: pending → running → completed | failed. Finished jobs stay finished. */
const NEXT: Readonly<Record<JobStatus, readonly JobStatus[]>> = {
  pending: ["running"],
  running: ["completed", "failed"],
  completed: [],
  failed: [],
};

/** True for a known status. */
export function isJobStatus(value: unknown): value is JobStatus {
  return JOB_STATUSES.includes(value as JobStatus);
}

/** OK when a job may move from `from` to `to`; INVALID_STATUS_TRANSITION naming both otherwise. */
export function checkTransition(jobId: string, from: string | null, to: JobStatus): Result<JobStatus, ScraperError> {
  const current = from ?? "pending";
  if (isJobStatus(current) && NEXT[current].includes(to)) return ok(to);
  const allowed = isJobStatus(current) ? NEXT[current] : [];
  return err(
    scraperError("INVALID_STATUS_TRANSITION", `Job '${jobId}' cannot go from '${current}' to '${to}'${allowed.length > 0 ? ` (allowed: ${allowed.join(", ")})` : " (it is finished)"}.`, {
      job_id: jobId,
      from: current,
      to,
      allowed,
    }),
  );
}
