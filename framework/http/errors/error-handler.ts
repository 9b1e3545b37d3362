import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { apiError, ApiErrorException, type ApiError } from "./api-error";
import { httpStatusOf } from "./http-status";
import { ModuleErrorException } from "./unwrap";

/** Codes whose original message may carry SQL, file paths or driver internals. */
const INTERNAL_CODES = new Set(["QUERY_FAILED", "TRANSACTION_FAILED", "INTERNAL_ERROR", "MIGRATION_LOAD_FAILED", "MIGRATION_FAILED", "REVERT_FAILED", "GENERATE_FAILED"]);

interface ValidationIssue {
  readonly instancePath?: string;
  readonly message?: string;
  readonly params?: Record<string, unknown>;
}

function isFastifyError(error: unknown): error is FastifyError {
  return error instanceof Error && ("code" in error || "statusCode" in error || "validation" in error);
}

/** Turns Ajv issues into readable `{ location, path, message }` entries. */
function describeValidation(error: FastifyError): ApiError {
  const location = error.validationContext ?? "request";
  const issues = (error.validation ?? []) as ValidationIssue[];
  const described = issues.map((issue) => {
    const extra = issue.params?.additionalProperty;
    const path = `${issue.instancePath ?? ""}${typeof extra === "string" ? `/${extra}` : ""}`;
    return { location, path: path === "" ? "/" : path, message: typeof extra === "string" ? `unknown parameter '${extra}'` : (issue.message ?? "is invalid") };
  });
  const isFilter = location === "querystring" && described.some((issue) => issue.path.startsWith("/filter"));
  const summary = described.map((issue) => `${issue.location}${issue.path === "/" ? "" : issue.path} ${issue.message}`).join("; ");
  if (isFilter) {
    return apiError("INVALID_FILTER", `Invalid filter: ${summary}. Filters are written filter[column][operator]=value.`, "core.http", { errors: described });
  }
  return apiError("VALIDATION_FAILED", `Invalid request: ${summary}.`, "core.http", { errors: described });
}

/** Maps errors raised by Fastify itself (body parsing, routing) onto API errors. */
function fromFastifyError(error: FastifyError, bodyLimit: number): ApiError | undefined {
  if (error.validation !== undefined) return describeValidation(error);
  switch (error.code) {
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return apiError("PAYLOAD_TOO_LARGE", `The request body is larger than the ${bodyLimit} bytes allowed.`, "core.http", { limit_bytes: bodyLimit });
    case "FST_ERR_CTP_INVALID_JSON_BODY":
      return apiError("VALIDATION_FAILED", "The request body is not valid JSON.", "core.http", { reason: "malformed_json" });
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
      return apiError("VALIDATION_FAILED", "The request body is empty but its content type is application/json.", "core.http", { reason: "empty_json" });
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return apiError("UNSUPPORTED_MEDIA_TYPE", "Request bodies must be JSON (Content-Type: application/json).", "core.http", {});
    default:
      break;
  }
  const status = error.statusCode ?? 500;
  // Fastify's own 4xx errors (bad URL, bad content length, prototype poisoning) describe the request, not the server.
  if (status >= 400 && status < 500) return apiError("VALIDATION_FAILED", error.message, "core.http", { reason: error.code ?? "bad_request" });
  return undefined;
}

/** Sends `error` with its status, hiding the message of internal failures (it is logged instead). */
export function sendApiError(request: FastifyRequest, reply: FastifyReply, error: ApiError): FastifyReply {
  const status = httpStatusOf(error.code);
  if (status >= 500 && INTERNAL_CODES.has(error.code)) {
    request.log.error({ code: error.code, detail: error.message }, "request failed");
    const { database, migration } = error.details as { database?: unknown; migration?: unknown };
    const details: Record<string, unknown> = { request_id: request.id };
    if (typeof database === "string") details.database = database;
    // The migration's name says where to look; its SQL and the driver's message stay in the log.
    if (typeof migration === "string") details.migration = migration;
    return reply.code(status).send({ error: apiError(error.code, "The server could not complete the request; the failure has been logged.", error.module, details) });
  }
  if (status >= 500) request.log.warn({ code: error.code }, error.message);
  return reply.code(status).send({ error });
}

/**
 * Gives every failure one response shape, `{ error: { code, message, module, details } }`:
 * route errors, schema validation, body parsing, unknown routes and unexpected exceptions.
 */
export function registerErrorHandling(app: FastifyInstance, bodyLimit: number): void {
  app.setErrorHandler((error: unknown, request, reply) => {
    if (error instanceof ApiErrorException) return sendApiError(request, reply, error.error);
    if (error instanceof ModuleErrorException) {
      const { code, message, module, details, status } = error.error;
      return reply.code(status ?? 409).send({ error: { code, message, module, details: details ?? {} } });
    }
    const mapped = isFastifyError(error) ? fromFastifyError(error, bodyLimit) : undefined;
    if (mapped !== undefined) return sendApiError(request, reply, mapped);
    request.log.error({ err: error }, "unexpected error");
    return sendApiError(request, reply, apiError("INTERNAL_ERROR", "Unexpected server error.", "core.http"));
  });
  app.setNotFoundHandler((request, reply) =>
    sendApiError(request, reply, apiError("ROUTE_NOT_FOUND", `No route ${request.method} ${request.url.split("?")[0] ?? ""}.`, "core.http", { method: request.method })),
  );
}
