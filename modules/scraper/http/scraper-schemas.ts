/**
 * JSON schemas of the scraper module's routes. Response schemas are what Fastify serialises
 * with: `password_hash` and `token_hash` appear in none of them, so they can never leave the server.
 */
import { ARTIFACT_TYPES } from "../entities/artifact";
import { EXTRACTION_TYPES } from "../entities/content-extraction";
import { TAG_TYPES } from "../entities/metadata-tag";
import { JOB_TYPES } from "../entities/scraper-job";
import { CONFIG_TYPES } from "../entities/system-configuration";
import { USER_ROLES } from "../entities/user";
import { JOB_STATUSES } from "../jobs/job-status";
import { SESSION_HEADER } from "./caller";

const nullableString = { type: ["string", "null"] } as const;
const instant = { type: "string", format: "date-time" } as const;
const nullableInstant = { type: ["string", "null"], format: "date-time" } as const;

/** The `X-Session-Token` header, documented on the routes that act as a scraper user. */
export const sessionHeaders = { type: "object", properties: { [SESSION_HEADER]: { type: "string", description: "The session token POST /sessions returned." } } } as const;

/** `:id` of a user, job or artifact (UUIDs). */
export const uuidParams = { type: "object", required: ["id"], additionalProperties: false, properties: { id: { type: "string", minLength: 1, maxLength: 64 } } } as const;

/** A user without its password hash. */
export const userSchema = {
  type: "object",
  required: ["id", "username", "email", "role", "is_active"],
  properties: { id: { type: "string" }, username: { type: "string" }, email: { type: "string" }, full_name: nullableString, role: nullableString, is_active: { type: "boolean" }, created_at: instant, updated_at: instant },
} as const;

/** Body of `POST /users`. */
export const registerBody = {
  type: "object",
  required: ["username", "email", "password"],
  additionalProperties: false,
  properties: { username: { type: "string" }, email: { type: "string" }, password: { type: "string" }, full_name: { type: ["string", "null"] }, role: { type: "string", enum: [...USER_ROLES] } },
} as const;

/** Body of `PATCH /users/:id`. */
export const updateUserBody = {
  type: "object",
  minProperties: 1,
  additionalProperties: false,
  properties: { email: { type: "string" }, full_name: { type: ["string", "null"] }, role: { type: "string", enum: [...USER_ROLES] }, is_active: { type: "boolean" } },
} as const;

/** Body of `POST /sessions`. */
export const loginBody = {
  type: "object",
  required: ["username", "password"],
  additionalProperties: false,
  properties: { username: { type: "string" }, password: { type: "string" }, ttl_ms: { type: "integer", minimum: 1000, maximum: 30 * 24 * 60 * 60 * 1000 } },
} as const;

/** A session just opened: the token appears here once and is stored only as its hash. */
export const openedSessionSchema = {
  type: "object",
  required: ["token", "session_id", "user_id", "expires_at"],
  properties: { token: { type: "string" }, session_id: { type: "string" }, user_id: { type: "string" }, expires_at: instant },
} as const;

/** The caller's session. */
export const currentSessionSchema = { type: "object", required: ["session_id", "expires_at", "user"], properties: { session_id: { type: "string" }, expires_at: instant, user: userSchema } } as const;

/** A job with its configuration. */
export const jobSchema = {
  type: "object",
  required: ["id", "user_id", "job_type", "keywords", "status"],
  properties: {
    id: { type: "string" },
    user_id: nullableString,
    job_type: { type: "string" },
    keywords: { type: "array", items: { type: "string" } },
    expanded_keywords: { type: ["array", "null"], items: { type: "string" } },
    status: { type: "string", enum: [...JOB_STATUSES] },
    progress: { type: ["integer", "null"] },
    total_items: { type: ["integer", "null"] },
    completed_items: { type: ["integer", "null"] },
    error_message: nullableString,
    started_at: nullableInstant,
    completed_at: nullableInstant,
    created_at: instant,
    updated_at: instant,
    configuration: { type: "object", additionalProperties: { type: ["string", "null"] } },
  },
} as const;

/** Body of `POST /jobs` (the job belongs to the session's user). */
export const newJobBody = {
  type: "object",
  required: ["job_type", "keywords"],
  additionalProperties: false,
  properties: {
    job_type: { type: "string", enum: [...JOB_TYPES] },
    keywords: { type: "array", minItems: 1, items: { type: "string" } },
    expanded_keywords: { type: ["array", "null"], items: { type: "string" } },
    configuration: { type: "object", additionalProperties: { anyOf: [{ type: "string" }, { type: "number" }, { type: "boolean" }, { type: "null" }] } },
    total_items: { type: "integer", minimum: 0 },
  },
} as const;

/** Body of `POST /jobs/:id/status`. */
export const transitionBody = {
  type: "object",
  required: ["status"],
  additionalProperties: false,
  properties: { status: { type: "string", enum: ["running", "completed", "failed"] }, error_message: { type: "string" } },
} as const;

/** An artifact with its tags and extractions. */
export const artifactSchema = {
  type: "object",
  required: ["id", "job_id", "artifact_type", "content_hash", "minio_path"],
  properties: {
    id: { type: "string" },
    job_id: nullableString,
    user_id: nullableString,
    artifact_type: { type: "string" },
    source_url: nullableString,
    title: nullableString,
    content_hash: { type: "string" },
    file_size: { type: ["integer", "null"] },
    mime_type: nullableString,
    minio_path: { type: "string" },
    is_public: { type: ["boolean", "null"] },
    created_at: instant,
    tags: { type: "array", items: { type: "object", properties: { tag_type: { type: "string" }, tag_key: { type: "string" }, tag_value: nullableString } } },
    extractions: { type: "array", items: { type: "object", properties: { extraction_type: { type: "string" }, extracted_data: {}, confidence_score: { type: ["number", "null"] } } } },
  },
} as const;

/** Body of `POST /jobs/:id/artifacts`. */
export const newArtifactBody = {
  type: "object",
  required: ["artifact_type", "content_hash", "minio_path"],
  additionalProperties: false,
  properties: {
    artifact_type: { type: "string", enum: [...ARTIFACT_TYPES] },
    content_hash: { type: "string", pattern: "^[0-9a-f]{64}$" },
    minio_path: { type: "string", minLength: 1, maxLength: 500 },
    source_url: { type: ["string", "null"] },
    title: { type: ["string", "null"], maxLength: 500 },
    file_size: { type: ["integer", "null"], minimum: 0 },
    mime_type: { type: ["string", "null"], maxLength: 100 },
    is_public: { type: "boolean" },
    tags: { type: "array", items: { type: "object", required: ["type", "key"], additionalProperties: false, properties: { type: { type: "string", enum: [...TAG_TYPES] }, key: { type: "string" }, value: { type: ["string", "null"] } } } },
    extractions: {
      type: "array",
      items: { type: "object", required: ["type", "data"], additionalProperties: false, properties: { type: { type: "string", enum: [...EXTRACTION_TYPES] }, data: {}, confidence: { type: ["number", "null"], minimum: 0, maximum: 1 } } },
    },
  },
} as const;

/** `:key` of a system setting. */
export const configParams = { type: "object", required: ["key"], additionalProperties: false, properties: { key: { type: "string", minLength: 1, maxLength: 100 } } } as const;

/** Body of `PUT /config/:key`. */
export const setConfigBody = {
  type: "object",
  required: ["value"],
  additionalProperties: false,
  properties: { value: {}, type: { type: "string", enum: [...CONFIG_TYPES] }, description: { type: ["string", "null"] }, is_sensitive: { type: "boolean" } },
} as const;

/** A setting as written (sensitive values are not echoed). */
export const configEntrySchema = { type: "object", required: ["key", "config_type", "is_sensitive"], properties: { key: { type: "string" }, config_type: { type: "string" }, description: nullableString, is_sensitive: { type: "boolean" }, value: {} } } as const;

/** Every setting, sensitive values withheld. */
export const configListSchema = {
  type: "object",
  required: ["settings"],
  properties: { settings: { type: "array", items: { type: "object", properties: { key: { type: "string" }, config_type: { type: "string" }, description: nullableString, is_sensitive: { type: "boolean" }, config_value: nullableString, updated_at: instant } } } },
} as const;
