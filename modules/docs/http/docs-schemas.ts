/** JSON schemas of the docs module's routes (responses list every field handed out). */
import { FEEDBACK_TYPES } from "../entities/feedback-event";
import { SIGNAL_TYPES } from "../entities/usage-signal";

const nullableString = { type: ["string", "null"] } as const;

/** `:id` of a document (`content_id`). */
export const contentParams = { type: "object", required: ["id"], additionalProperties: false, properties: { id: { type: "string", minLength: 1, maxLength: 200 } } } as const;

/**
 * A canonical ProcessedDocument (seed 004). The schema checks the outline; the module's own model
 * validator checks the rest (chunk order, ranges, dates) and names the offending field by path.
 */
export const processedDocumentBody = {
  type: "object",
  required: ["id", "title", "full_content", "source_url", "technology", "metadata", "quality_score", "chunks"],
  additionalProperties: true,
  properties: {
    id: { type: "string" },
    title: { type: "string" },
    full_content: { type: "string" },
    source_url: { type: "string" },
    technology: { type: "string" },
    metadata: { type: "object", additionalProperties: true },
    quality_score: { type: "number" },
    chunks: { type: "array", items: { type: "object", additionalProperties: true } },
  },
} as const;

/** A `content_metadata` row (timestamps as SQLite stores them, UTC text). */
export const contentSchema = {
  type: "object",
  required: ["content_id", "title", "technology", "processing_status"],
  properties: {
    content_id: { type: "string" },
    title: { type: "string" },
    source_url: { type: "string" },
    technology: { type: "string" },
    content_hash: { type: "string" },
    word_count: { type: "integer" },
    heading_count: { type: "integer" },
    code_block_count: { type: "integer" },
    chunk_count: { type: "integer" },
    quality_score: { type: "number" },
    freshness_score: { type: "number" },
    processing_status: { type: "string" },
    anythingllm_workspace: nullableString,
    anythingllm_document_id: nullableString,
    created_at: { type: "string" },
    updated_at: { type: "string" },
    last_accessed_at: nullableString,
    access_count: { type: "integer" },
  },
} as const;

/** Body of `POST /feedback`. */
export const feedbackBody = {
  type: "object",
  required: ["content_id", "feedback_type"],
  additionalProperties: false,
  properties: {
    content_id: { type: "string", minLength: 1 },
    feedback_type: { type: "string", enum: [...FEEDBACK_TYPES] },
    rating: { type: ["integer", "null"] },
    comment: nullableString,
    user_session_id: nullableString,
    search_query: nullableString,
    result_position: { type: ["integer", "null"] },
  },
} as const;

/** Answer of `POST /feedback`. */
export const feedbackCreated = { type: "object", required: ["event_id"], properties: { event_id: { type: "string" } } } as const;

const aggregate = { type: "object", properties: { count: { type: "integer" }, total: { type: "number" }, average: { type: "number" } } } as const;

/** Everything users told about one document. */
export const feedbackSummarySchema = {
  type: "object",
  required: ["content_id", "feedback_count"],
  properties: {
    content_id: { type: "string" },
    feedback_count: { type: "integer" },
    feedback_by_type: { type: "object", properties: Object.fromEntries(FEEDBACK_TYPES.map((type) => [type, { type: "integer" }])) },
    rating_count: { type: "integer" },
    average_rating: { type: ["number", "null"] },
    signals_by_type: { type: "object", properties: Object.fromEntries(SIGNAL_TYPES.map((type) => [type, aggregate])) },
  },
} as const;

/** Body of `PUT /search-cache`. */
export const cachePutBody = {
  type: "object",
  required: ["query", "results", "ttl_ms"],
  additionalProperties: false,
  properties: {
    query: { type: "string", minLength: 1 },
    technology_hint: nullableString,
    results: {},
    ttl_ms: { type: "integer", minimum: 1, maximum: 30 * 24 * 60 * 60 * 1000 },
    workspace_slugs: { type: ["array", "null"], items: { type: "string" } },
    result_count: { type: "integer", minimum: 0 },
    execution_time_ms: { type: "integer", minimum: 0 },
  },
} as const;

/** `?query=&technology_hint=` of `GET /search-cache`. */
export const cacheGetQuery = { type: "object", required: ["query"], additionalProperties: false, properties: { query: { type: "string", minLength: 1 }, technology_hint: { type: "string" } } } as const;

/** A live cached search. */
export const cachedSearchSchema = {
  type: "object",
  required: ["query_hash", "original_query", "expires_at"],
  properties: {
    query_hash: { type: "string" },
    original_query: { type: "string" },
    search_results: {},
    technology_hint: nullableString,
    workspace_slugs: { type: ["array", "null"], items: { type: "string" } },
    result_count: { type: "integer" },
    execution_time_ms: { type: "integer" },
    cache_hit: { type: "boolean" },
    created_at: { type: "string" },
    expires_at: { type: "string" },
    access_count: { type: "integer" },
    last_accessed_at: { type: "string" },
  },
} as const;

/** Answer of `GET /search-cache`: the live entry, or a miss. */
export const cacheLookupSchema = { type: "object", required: ["hit", "entry"], properties: { hit: { type: "boolean" }, entry: { anyOf: [cachedSearchSchema, { type: "null" }] } } } as const;
