import { errAsync, ok, okAsync, Result, type ResultAsync } from "neverthrow";
import { inject, injectable } from "tsyringe";
import type { EntityManager, Repository } from "typeorm";
import { InjectDatabase, InjectRepository, ModuleDatabase, type DbError } from "../../../framework";
import { DATABASE_NAME, ScrapingJob, Search } from "../db-models";
import { attempt, recordNotFound } from "../shared/attempt";
import { CiapClock } from "../shared/clock";
import { pageRequest, toPage, type CiapPage } from "../shared/paging";
import { invalid, optionalText, requireId, requireInteger, requireOneOf, requireText } from "../shared/validate";
import { JOB_TRANSITIONS, MAX_SCRAPER_NAME_LENGTH, SCRAPING_JOB_STATUSES, type ListJobsQuery, type ScrapingJobStatus } from "./scraping-job-types";

type Transition = keyof typeof JOB_TRANSITIONS;

/**
 * Scraping jobs: one scraper's run for a search. Each operation checks the job's current status
 * inside its transaction, so two workers can never both start (or both finish) one job.
 */
@injectable()
export class ScrapingJobService {
  constructor(
    @InjectDatabase(DATABASE_NAME) private readonly db: ModuleDatabase,
    @InjectRepository(ScrapingJob) private readonly jobs: Repository<ScrapingJob>,
    @inject(CiapClock) private readonly clock: CiapClock,
  ) {}

  /** Records a `pending` job of `scraperName` for an existing search. */
  create(searchId: number, scraperName: string): ResultAsync<ScrapingJob, DbError> {
    return Result.combine([requireId("search_id", searchId), requireText("scraper_name", scraperName, MAX_SCRAPER_NAME_LENGTH)]).asyncAndThen(([validSearch, validName]) =>
      this.db
        .transaction(async (manager) => {
          if ((await manager.findOneBy(Search, { id: validSearch })) === null) return null;
          const now = this.clock.now();
          const inserted = await manager.insert(ScrapingJob, { search_id: validSearch, scraper_name: validName, status: "pending", results_count: 0, created_at: now, updated_at: now });
          return manager.findOneByOrFail(ScrapingJob, { id: inserted.identifiers[0]?.id as number });
        })
        .andThen((job) => (job === null ? errAsync(recordNotFound("searches", validSearch)) : okAsync(job))),
    );
  }

  /** Moves a `pending` job to `processing`, stamping `started_at`. */
  start(id: number): ResultAsync<ScrapingJob, DbError> {
    return requireId("id", id).asyncAndThen((validId) => this.transition(validId, "start", (now) => ({ status: "processing", started_at: now, completed_at: null, error_log: null })));
  }

  /** Finishes a `processing` job as `completed` with the number of results it stored. */
  complete(id: number, resultsCount: number): ResultAsync<ScrapingJob, DbError> {
    return Result.combine([requireId("id", id), requireInteger("results_count", resultsCount, 0)]).asyncAndThen(([validId, count]) =>
      this.transition(validId, "complete", (now) => ({ status: "completed", results_count: count, completed_at: now })),
    );
  }

  /** Finishes a `pending` or `processing` job as `failed`, keeping what went wrong in `error_log`. */
  fail(id: number, errorLog: string): ResultAsync<ScrapingJob, DbError> {
    return Result.combine([requireId("id", id), requireText("error_log", errorLog, Number.MAX_SAFE_INTEGER)]).asyncAndThen(([validId, log]) =>
      this.transition(validId, "fail", (now) => ({ status: "failed", error_log: log, completed_at: now })),
    );
  }

  /** One job by id, or RECORD_NOT_FOUND. */
  get(id: number): ResultAsync<ScrapingJob, DbError> {
    return requireId("id", id).asyncAndThen((validId) => attempt(() => this.jobs.findOneBy({ id: validId })).andThen((job) => (job === null ? errAsync(recordNotFound("scraping_jobs", validId)) : okAsync(job))));
  }

  /** One page of a search's jobs, oldest first, optionally only those in one status. */
  listBySearch(searchId: number, query: ListJobsQuery = {}): ResultAsync<CiapPage<ScrapingJob>, DbError> {
    const status: Result<ScrapingJobStatus | undefined, DbError> = query.status === undefined ? ok(undefined) : requireOneOf("status", query.status, SCRAPING_JOB_STATUSES);
    return Result.combine([requireId("search_id", searchId), pageRequest(query.page, query.pageSize), status]).asyncAndThen(([validSearch, request, validStatus]) =>
      attempt(() =>
        this.jobs.findAndCount({
          where: validStatus === undefined ? { search_id: validSearch } : { search_id: validSearch, status: validStatus },
          order: { id: "ASC" },
          skip: (request.page - 1) * request.pageSize,
          take: request.pageSize,
        }),
      ).map(([records, total]) => toPage(records, request, total)),
    );
  }

  private transition(id: number, operation: Transition, changes: (now: Date) => Partial<ScrapingJob>): ResultAsync<ScrapingJob, DbError> {
    const allowed: readonly string[] = JOB_TRANSITIONS[operation];
    return this.db
      .transaction(async (manager: EntityManager): Promise<ScrapingJob | string | null> => {
        const job = await manager.findOneBy(ScrapingJob, { id });
        if (job === null) return null;
        if (!allowed.includes(job.status)) return job.status;
        const now = this.clock.now();
        await manager.update(ScrapingJob, { id }, { ...changes(now), updated_at: now });
        return manager.findOneByOrFail(ScrapingJob, { id });
      })
      .andThen((outcome): ResultAsync<ScrapingJob, DbError> => {
        if (outcome === null) return errAsync(recordNotFound("scraping_jobs", id));
        if (typeof outcome === "string") return errAsync(invalid("status", `of scraping job ${id} is '${outcome}'; ${operation} needs ${allowed.map((status) => `'${status}'`).join(" or ")}.`, outcome));
        return okAsync(outcome);
      });
  }
}
