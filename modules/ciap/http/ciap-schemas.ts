/**
 * JSON schemas of the ciap module's routes. Response schemas list every column the API hands
 * out: Fastify serialises with them, so a column left out here never leaves the server.
 */

const nullableString = { type: ["string", "null"] } as const;
const nullableInstant = { type: ["string", "null"], format: "date-time" } as const;
const instant = { type: "string", format: "date-time" } as const;
const nullableStrings = { type: ["array", "null"], items: { type: "string" } } as const;

/** `:id` of a search or task. */
export const idParams = { type: "object", required: ["id"], additionalProperties: false, properties: { id: { type: "integer", minimum: 1 } } } as const;

/** A `searches` row. */
export const searchSchema = {
  type: "object",
  required: ["id", "query", "status", "created_at", "updated_at"],
  properties: {
    id: { type: "integer" },
    query: { type: "string" },
    status: { type: "string", enum: ["pending", "processing", "completed", "failed"] },
    sources: nullableStrings,
    user_id: nullableString,
    error_message: nullableString,
    created_at: instant,
    updated_at: instant,
    completed_at: nullableInstant,
  },
} as const;

/** Body of `POST /searches`. */
export const newSearchBody = {
  type: "object",
  required: ["query"],
  additionalProperties: false,
  properties: {
    query: { type: "string", minLength: 1, maxLength: 500 },
    sources: { type: "array", items: { type: "string", minLength: 1, maxLength: 50 }, maxItems: 50 },
    user_id: { type: ["string", "null"], maxLength: 100 },
  },
} as const;

/** One result as `POST /searches/:id/results` takes it (the search comes from the path). */
const newResultSchema = {
  type: "object",
  additionalProperties: false,
  properties: {
    source: { type: ["string", "null"], maxLength: 50 },
    title: { type: ["string", "null"], maxLength: 500 },
    snippet: nullableString,
    url: { type: ["string", "null"], maxLength: 1000 },
    position: { type: ["integer", "null"] },
    sentiment_score: { type: ["number", "null"] },
    competitor_mentioned: nullableStrings,
    keywords: nullableStrings,
  },
} as const;

/** Body of `POST /searches/:id/results`. */
export const newResultsBody = {
  type: "object",
  required: ["results"],
  additionalProperties: false,
  properties: { results: { type: "array", minItems: 1, maxItems: 10_000, items: newResultSchema } },
} as const;

/** What storing results reports. */
export const insertReportSchema = { type: "object", required: ["inserted", "chunks"], properties: { inserted: { type: "integer" }, chunks: { type: "integer" } } } as const;

/** A `search_results` row. */
export const resultSchema = {
  type: "object",
  required: ["id", "search_id"],
  properties: { id: { type: "integer" }, search_id: { type: ["integer", "null"] }, ...newResultSchema.properties, scraped_at: instant },
} as const;

/** `?limit=` of the results list. */
export const resultsQuery = { type: "object", additionalProperties: false, properties: { limit: { type: "integer", minimum: 1, maximum: 1000, default: 100 } } } as const;

/** A `task_queue` row; `lease_token` is what the worker completes the task with. */
export const taskSchema = {
  type: "object",
  required: ["id", "task_type", "status", "priority"],
  properties: {
    id: { type: "integer" },
    task_type: { type: "string" },
    payload: { type: ["object", "null"], additionalProperties: true },
    status: { type: "string", enum: ["pending", "processing", "completed", "failed"] },
    priority: { type: "integer" },
    retry_count: { type: "integer" },
    max_retries: { type: "integer" },
    error_message: nullableString,
    scheduled_at: instant,
    run_after: nullableInstant,
    started_at: nullableInstant,
    completed_at: nullableInstant,
    lease_until: nullableInstant,
    lease_token: nullableString,
  },
} as const;

/** Body of `POST /tasks`. */
export const newTaskBody = {
  type: "object",
  required: ["task_type"],
  additionalProperties: false,
  properties: {
    task_type: { type: "string", minLength: 1, maxLength: 100 },
    payload: { type: ["object", "null"], additionalProperties: true },
    priority: { type: "integer", minimum: 1, maximum: 10 },
    max_retries: { type: "integer", minimum: 0, maximum: 1000 },
    run_after: { type: "string", format: "date-time" },
  },
} as const;

/** Body of `POST /tasks/dequeue`. */
export const dequeueBody = { type: "object", additionalProperties: false, properties: { lease_seconds: { type: "integer", minimum: 1, maximum: 86_400 } } } as const;

/** Answer of `POST /tasks/dequeue`: the task handed out, or null when none is due. */
export const dequeueResponse = { type: "object", required: ["task"], properties: { task: { anyOf: [taskSchema, { type: "null" }] } } } as const;

/** Body of `POST /tasks/:id/complete`. */
export const completeBody = {
  type: "object",
  additionalProperties: false,
  properties: {
    status: { type: "string", enum: ["completed", "failed"], default: "completed" },
    error: { type: ["string", "null"] },
    lease_token: { type: "string", minLength: 1, maxLength: 36 },
  },
} as const;

/** Answer of `GET /stats`: rows per ciap table. */
export const statsResponse = { type: "object", required: ["tables"], properties: { tables: { type: "object", additionalProperties: { type: "integer" } } } } as const;
