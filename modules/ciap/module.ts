/**
 * The ciap module's services, registered by the framework as container singletons. Other modules
 * import these classes from here and receive them by constructor injection (see README.md).
 */
import { CiapCacheService } from "./cache/cache-service";
import { ScrapingJobService } from "./jobs/scraping-job-service";
import { RateLimitService } from "./rate-limits/rate-limit-service";
import { SearchResultService } from "./results/search-result-service";
import { SearchService } from "./searches/search-service";
import { CiapClock } from "./shared/clock";
import { CiapStatsService } from "./stats/stats-service";
import { TaskQueueService } from "./tasks/task-queue-service";

export { CiapCacheService, MAX_CACHE_KEY_LENGTH } from "./cache/cache-service";
export { ScrapingJobService } from "./jobs/scraping-job-service";
export { SCRAPING_JOB_STATUSES, type ScrapingJobStatus, type ListJobsQuery } from "./jobs/scraping-job-types";
export { RateLimitService } from "./rate-limits/rate-limit-service";
export type { AcquireOutcome, RateLimitStatus } from "./rate-limits/rate-limit-types";
export { SearchResultService, DEFAULT_STREAM_PAGE_SIZE } from "./results/search-result-service";
export type { NewSearchResult, ResultAnalysis, InsertManyOptions, InsertManyReport } from "./results/result-types";
export { SearchService } from "./searches/search-service";
export type { ListSearchesQuery, BatchStatusReport } from "./searches/search-types";
export { CiapClock } from "./shared/clock";
export type { CiapPage } from "./shared/paging";
export { CiapStatsService, type CiapTableCounts } from "./stats/stats-service";
export { TaskQueueService } from "./tasks/task-queue-service";
export type { DequeueOptions, EnqueueOptions, RetryReport, TaskOutcome } from "./tasks/task-types";
export { backoffDelayMs, loadTaskQueueSettings, type TaskQueueSettings } from "./tasks/task-settings";

/** Every service the framework registers for the ciap module. */
export const services = [CiapClock, SearchService, SearchResultService, ScrapingJobService, TaskQueueService, CiapCacheService, RateLimitService, CiapStatsService];

/** The module's HTTP routes under `/api/v1/modules/ciap/` (see http/ciap-routes.ts and docs/routes.md). */
export { routes } from "./http/ciap-routes";
