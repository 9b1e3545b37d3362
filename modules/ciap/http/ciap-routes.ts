import { defineModuleRoutes } from "../../../framework";
import type { NewSearchResult } from "../results/result-types";
import { SearchResultService } from "../results/search-result-service";
import { SearchService } from "../searches/search-service";
import { CiapStatsService } from "../stats/stats-service";
import { TaskQueueService } from "../tasks/task-queue-service";
import type { TaskOutcome } from "../tasks/task-types";
import {
  completeBody,
  dequeueBody,
  dequeueResponse,
  idParams,
  insertReportSchema,
  newResultsBody,
  newSearchBody,
  newTaskBody,
  resultSchema,
  resultsQuery,
  searchSchema,
  statsResponse,
  taskSchema,
} from "./ciap-schemas";

type Id = { Params: { id: number } };
type NewResult = Omit<NewSearchResult, "search_id">;

/**
 * The ciap module's operations over HTTP, under `/api/v1/modules/ciap/`: searches and their
 * results, the task queue (enqueue, dequeue with a lease, complete) and table statistics. Every
 * route calls the module's service, so its validation, transactions and lease rules apply; the
 * generic records API cannot write `task_queue` at all.
 */
export const routes = defineModuleRoutes((router, { resolve }) => {
  router.post<{ Body: { query: string; sources?: string[]; user_id?: string | null } }>(
    "/searches",
    { scope: "write", status: 201, schema: { summary: "Create a pending search", body: newSearchBody, response: { 201: searchSchema } } },
    (request) => resolve(SearchService).create(request.body.query, request.body.sources ?? [], request.body.user_id ?? null),
  );
  router.get<Id>("/searches/:id", { scope: "read", schema: { summary: "One search", params: idParams, response: { 200: searchSchema } } }, (request) => resolve(SearchService).get(request.params.id));
  router.post<Id & { Body: { results: NewResult[] } }>(
    "/searches/:id/results",
    { scope: "write", status: 201, schema: { summary: "Store results of a search, all or none", params: idParams, body: newResultsBody, response: { 201: insertReportSchema } } },
    // The search must exist first: a result row naming none would only be refused by the foreign key.
    (request) => resolve(SearchService).get(request.params.id).andThen((search) => resolve(SearchResultService).insertMany(request.body.results.map((result) => ({ ...result, search_id: search.id })))),
  );
  router.get<Id & { Querystring: { limit: number } }>(
    "/searches/:id/results",
    { scope: "read", schema: { summary: "Results of a search by ranking position", params: idParams, querystring: resultsQuery, response: { 200: { type: "object", required: ["results"], properties: { results: { type: "array", items: resultSchema } } } } } },
    (request) => resolve(SearchResultService).bySearch(request.params.id, request.query.limit).map((results) => ({ results })),
  );
  router.post<{ Body: { task_type: string; payload?: Record<string, unknown> | null; priority?: number; max_retries?: number; run_after?: string } }>(
    "/tasks",
    { scope: "write", status: 201, schema: { summary: "Enqueue a task", body: newTaskBody, response: { 201: taskSchema } } },
    (request) => {
      const { task_type, payload, priority, max_retries, run_after } = request.body;
      return resolve(TaskQueueService).enqueue(task_type, payload ?? null, { ...(priority === undefined ? {} : { priority }), ...(max_retries === undefined ? {} : { maxRetries: max_retries }), ...(run_after === undefined ? {} : { runAfter: new Date(run_after) }) });
    },
  );
  router.post<{ Body: { lease_seconds?: number } | undefined }>(
    "/tasks/dequeue",
    { scope: "write", schema: { summary: "Hand out the most urgent due task under a lease (task null when none is due)", body: dequeueBody, response: { 200: dequeueResponse } } },
    (request) => {
      const seconds = request.body?.lease_seconds;
      return resolve(TaskQueueService).dequeue(seconds === undefined ? {} : { leaseSeconds: seconds }).map((task) => ({ task }));
    },
  );
  router.post<Id & { Body: { status: TaskOutcome; error?: string | null; lease_token?: string } }>(
    "/tasks/:id/complete",
    { scope: "write", schema: { summary: "End a processing task: completed, or failed (retried with backoff while retries last)", params: idParams, body: completeBody, response: { 200: taskSchema } } },
    (request) => resolve(TaskQueueService).complete(request.params.id, request.body.status, request.body.error ?? null, request.body.lease_token),
  );
  router.get("/stats", { scope: "read", schema: { summary: "Rows per ciap table, counted at one moment", response: { 200: statsResponse } } }, () =>
    resolve(CiapStatsService).tableCounts().map((tables) => ({ tables })),
  );
});
