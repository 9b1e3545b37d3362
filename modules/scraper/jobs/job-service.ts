import { randomUUID } from "node:crypto";
import { err, errAsync, ok, type Result, type ResultAsync } from "neverthrow";
import { injectable } from "tsyringe";
import type { EntityManager, FindOptionsWhere } from "typeorm";
import { InjectDatabase } from "../../../framework/container/tokens";
import type { ModuleDatabase } from "../../../framework/database/module-database";
import type { AuditActor } from "../audit/audit-actor";
import { recordAudit } from "../audit/record-audit";
import { DATABASE_NAME } from "../db-models";
import { JobConfiguration } from "../entities/job-configuration";
import { ScraperJob } from "../entities/scraper-job";
import { User } from "../entities/user";
import { invalidInput, notFound, scraperError, type ScraperError } from "../support/scraper-error";
import { readQuery, writeTransaction } from "../support/write-transaction";
import { checkJob, type CreateJobInput } from "./job-input";
import { checkTransition, isJobStatus, type JobStatus } from "./job-status";

/** A job with its configuration as key → value. */
export interface JobView extends Omit<ScraperJob, "user"> {
  readonly configuration: Readonly<Record<string, string | null>>;
}

/** Which jobs to list. */
export interface JobListOptions {
  readonly userId?: string;
  readonly status?: JobStatus;
  readonly limit?: number;
}

async function loadJob(manager: EntityManager, id: string): Promise<JobView | null> {
  const job = await manager.findOneBy(ScraperJob, { id });
  if (job === null) return null;
  const rows = await manager.find(JobConfiguration, { where: { job_id: id }, order: { config_key: "ASC" } });
  return { ...job, configuration: Object.fromEntries(rows.map((row) => [row.config_key, row.config_value])) };
}

/** Percent done, floored, 0 when the total is unknown. */
function percent(completed: number, total: number): number {
  return total <= 0 ? 0 : Math.min(100, Math.floor((completed * 100) / total));
}

/**
 * Scraping jobs: create with keywords and configuration, move through
 * pending → running → completed | failed, track progress, delete. Every change is audited in
 * its own transaction; an illegal move is INVALID_STATUS_TRANSITION and changes nothing.
 */
@injectable()
export class JobService {
  constructor(@InjectDatabase(DATABASE_NAME) private readonly database: ModuleDatabase) {}

  /** Creates a pending job for a live user, with one `job_configurations` row per configuration key. */
  create(actor: AuditActor, input: CreateJobInput): ResultAsync<JobView, ScraperError> {
    const checked = checkJob(input);
    if (checked.isErr()) return errAsync(checked.error);
    const job = checked.value;
    return writeTransaction(this.database, async (manager) => {
      const user = await manager.findOneBy(User, { id: job.userId });
      if (user === null || user.is_active === false) return err(notFound("active user", job.userId));
      const id = randomUUID();
      await manager.insert(ScraperJob, { id, user_id: job.userId, job_type: job.jobType, keywords: job.keywords, expanded_keywords: job.expandedKeywords, total_items: job.totalItems });
      if (job.configuration.length > 0) {
        await manager.insert(
          JobConfiguration,
          job.configuration.map(([config_key, config_value]) => ({ id: randomUUID(), job_id: id, config_key, config_value })),
        );
      }
      await recordAudit(manager, actor, {
        action: "job.create",
        resourceType: "scraping_job",
        resourceId: id,
        details: { job_type: job.jobType, keywords: job.keywords, configuration_keys: job.configuration.map(([key]) => key) },
      });
      return ok((await loadJob(manager, id)) as JobView);
    });
  }

  /** One job with its configuration. */
  get(id: string): ResultAsync<JobView, ScraperError> {
    return this.database.exclusive((manager) => loadJob(manager, id)).mapErr((error): ScraperError => error).andThen((job) => (job === null ? err(notFound("scraping job", id)) : ok(job)));
  }

  /** Jobs, newest first, optionally of one user or status (without configuration). */
  list(options: JobListOptions = {}): ResultAsync<ScraperJob[], ScraperError> {
    if (options.status !== undefined && !isJobStatus(options.status)) return errAsync(invalidInput("status", "is not a job status."));
    const where: FindOptionsWhere<ScraperJob> = {};
    if (options.userId !== undefined) where.user_id = options.userId;
    if (options.status !== undefined) where.status = options.status;
    return readQuery(this.database, (manager) => manager.find(ScraperJob, { where, order: { created_at: "DESC", id: "ASC" }, take: Math.min(Math.max(options.limit ?? 100, 1), 1000) }));
  }

  /** pending → running; records when it started. */
  start(actor: AuditActor, id: string): ResultAsync<JobView, ScraperError> {
    return this.transition(actor, id, "running", () => ({ started_at: new Date() }));
  }

  /** running → completed; progress becomes 100. */
  complete(actor: AuditActor, id: string): ResultAsync<JobView, ScraperError> {
    return this.transition(actor, id, "completed", (job) => ({ completed_at: new Date(), progress: 100, completed_items: Math.max(job.completed_items ?? 0, job.total_items ?? 0) }));
  }

  /** running → failed, keeping the reason. */
  fail(actor: AuditActor, id: string, errorMessage: string): ResultAsync<JobView, ScraperError> {
    if (typeof errorMessage !== "string" || errorMessage.trim() === "") return errAsync(invalidInput("errorMessage", "must say why the job failed."));
    return this.transition(actor, id, "failed", () => ({ completed_at: new Date(), error_message: errorMessage }));
  }

  /**
   * Records progress of a running job: items done (and optionally the new total); `progress` is
   * the floored percentage. Progress on a job that is not running is INVALID_STATUS_TRANSITION.
   */
  updateProgress(actor: AuditActor, id: string, completedItems: number, totalItems?: number): ResultAsync<JobView, ScraperError> {
    if (!Number.isInteger(completedItems) || completedItems < 0) return errAsync(invalidInput("completedItems", "must be a non-negative integer."));
    if (totalItems !== undefined && (!Number.isInteger(totalItems) || totalItems < 0)) return errAsync(invalidInput("totalItems", "must be a non-negative integer."));
    return writeTransaction(this.database, async (manager): Promise<Result<JobView, ScraperError>> => {
      const job = await manager.findOneBy(ScraperJob, { id });
      if (job === null) return err(notFound("scraping job", id));
      if (job.status !== "running") {
        return err(scraperError("INVALID_STATUS_TRANSITION", `Job '${id}' is '${job.status ?? "pending"}'; only running jobs report progress.`, { job_id: id, status: job.status }));
      }
      const total = totalItems ?? job.total_items ?? 0;
      if (completedItems > total) return err(invalidInput("completedItems", `cannot exceed totalItems (${total}).`));
      const progress = percent(completedItems, total);
      await manager.update(ScraperJob, { id }, { completed_items: completedItems, total_items: total, progress });
      await recordAudit(manager, actor, { action: "job.progress", resourceType: "scraping_job", resourceId: id, details: { completed_items: completedItems, total_items: total, progress } });
      return ok((await loadJob(manager, id)) as JobView);
    });
  }

  /** Deletes a job; its configuration and artifacts go with it (ON DELETE CASCADE). */
  delete(actor: AuditActor, id: string): ResultAsync<void, ScraperError> {
    return writeTransaction(this.database, async (manager) => {
      const result = await manager.delete(ScraperJob, { id });
      if (result.affected !== 1) return err(notFound("scraping job", id));
      await recordAudit(manager, actor, { action: "job.delete", resourceType: "scraping_job", resourceId: id });
      return ok(undefined);
    });
  }

  private transition(actor: AuditActor, id: string, to: JobStatus, changes: (job: ScraperJob) => Partial<ScraperJob>): ResultAsync<JobView, ScraperError> {
    return writeTransaction(this.database, async (manager): Promise<Result<JobView, ScraperError>> => {
      // Read and write under one write lock, so two callers cannot both make the same move.
      const job = await manager.findOneBy(ScraperJob, { id });
      if (job === null) return err(notFound("scraping job", id));
      const allowed = checkTransition(id, job.status, to);
      if (allowed.isErr()) return err(allowed.error);
      await manager.update(ScraperJob, { id }, { ...changes(job), status: to });
      await recordAudit(manager, actor, { action: `job.status.${to}`, resourceType: "scraping_job", resourceId: id, details: { from: job.status ?? "pending", to } });
      return ok((await loadJob(manager, id)) as JobView);
    });
  }
}
