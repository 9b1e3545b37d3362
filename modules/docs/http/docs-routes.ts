import { defineModuleRoutes } from "../../../framework";
import { ContentMetadataRepository } from "../repositories/content-metadata-repository";
import { FeedbackRepository, type NewFeedback } from "../repositories/feedback-repository";
import { SearchCacheRepository } from "../repositories/search-cache-repository";
import { cacheGetQuery, cacheLookupSchema, cachePutBody, cachedSearchSchema, contentParams, contentSchema, feedbackBody, feedbackCreated, feedbackSummarySchema, processedDocumentBody } from "./docs-schemas";

type Id = { Params: { id: string } };

interface CachePutBody {
  readonly query: string;
  readonly technology_hint?: string | null;
  readonly results: unknown;
  readonly ttl_ms: number;
  readonly workspace_slugs?: string[] | null;
  readonly result_count?: number;
  readonly execution_time_ms?: number;
}

/**
 * The docs module's operations over HTTP, under `/api/v1/modules/docs/`: record a processed
 * document, record and summarise feedback, and read and write the search cache — which the
 * generic API does not show at all (`search_cache` is hidden).
 */
export const routes = defineModuleRoutes((router, { resolve }) => {
  router.post<{ Body: unknown }>(
    "/documents",
    { scope: "write", status: 201, schema: { summary: "Record a processed document's metadata (validated as a ProcessedDocument; same id replaces)", body: processedDocumentBody, response: { 201: contentSchema } } },
    (request) => resolve(ContentMetadataRepository).recordProcessedDocument(request.body),
  );
  router.get<Id>("/documents/:id", { scope: "read", schema: { summary: "One document's metadata", params: contentParams, response: { 200: contentSchema } } }, (request) => resolve(ContentMetadataRepository).get(request.params.id));
  router.post<{ Body: NewFeedback }>(
    "/feedback",
    { scope: "write", status: 201, schema: { summary: "Record feedback on a document (rating 1..5)", body: feedbackBody, response: { 201: feedbackCreated } } },
    (request) => resolve(FeedbackRepository).recordFeedback({ ...request.body, ip_address: request.ip }).map((event_id) => ({ event_id })),
  );
  router.get<Id>(
    "/documents/:id/feedback",
    { scope: "read", schema: { summary: "Feedback and usage signals of a document, summarised", params: contentParams, response: { 200: feedbackSummarySchema } } },
    (request) => resolve(FeedbackRepository).summarize(request.params.id),
  );
  router.put<{ Body: CachePutBody }>(
    "/search-cache",
    { scope: "write", schema: { summary: "Cache a search's results for ttl_ms", body: cachePutBody, response: { 200: cachedSearchSchema } } },
    (request) => {
      const body = request.body;
      return resolve(SearchCacheRepository).put({
        query: body.query,
        technologyHint: body.technology_hint ?? null,
        results: body.results,
        ttlMs: body.ttl_ms,
        workspaceSlugs: body.workspace_slugs ?? null,
        ...(body.result_count === undefined ? {} : { resultCount: body.result_count }),
        ...(body.execution_time_ms === undefined ? {} : { executionTimeMs: body.execution_time_ms }),
      });
    },
  );
  router.get<{ Querystring: { query: string; technology_hint?: string } }>(
    "/search-cache",
    { scope: "read", schema: { summary: "The live cached results of a search, or a miss (a hit is counted)", querystring: cacheGetQuery, response: { 200: cacheLookupSchema } } },
    (request) => resolve(SearchCacheRepository).get(request.query.query, request.query.technology_hint ?? null).map((entry) => ({ hit: entry !== null, entry })),
  );
});
