/** Scraping-job lifecycle: `pending` → `processing` → `completed` | `failed` (a pending job may fail before it starts). */
export const SCRAPING_JOB_STATUSES = ["pending", "processing", "completed", "failed"] as const;
/** A scraping job's status. */
export type ScrapingJobStatus = (typeof SCRAPING_JOB_STATUSES)[number];

/** The statuses each operation may move a job out of; anything else is refused, naming the status. */
export const JOB_TRANSITIONS = {
  start: ["pending"],
  complete: ["processing"],
  fail: ["pending", "processing"],
} as const satisfies Record<string, readonly ScrapingJobStatus[]>;

/** `scraper_name` holds at most this many characters (the column is varchar(50)). */
export const MAX_SCRAPER_NAME_LENGTH = 50;

/** Filters of {@link ScrapingJobService.listBySearch}. */
export interface ListJobsQuery {
  readonly status?: ScrapingJobStatus;
  readonly page?: number;
  readonly pageSize?: number;
}
