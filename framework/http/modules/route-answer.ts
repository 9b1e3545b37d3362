import type { FastifyReply, FastifyRequest } from "fastify";
import { DbErrorException, type DbError } from "../../errors/db-error";
import { isModuleError, MODULE_ERROR_CODE_PATTERN, moduleError } from "../../errors/module-error";
import { API_ERROR_CODES, ApiErrorException, fromDbError } from "../errors/api-error";
import { ModuleErrorException } from "../errors/unwrap";
import { scrubErrorDetails } from "../sensitive/hide-sensitive";
import type { ModuleRouteHandler } from "./module-routes";

/** Status of a module's own error code that the module did not declare: the request was understood, the module's rules refused it. */
export const UNDECLARED_MODULE_ERROR_STATUS = 422;

/** What answering one module route needs to know. */
export interface RouteAnswerContext {
  readonly module: string;
  /** Declared statuses of the module's own codes. */
  readonly errors: ReadonlyMap<string, number>;
  /** Column names that must not appear in error help (sensitive columns). */
  readonly sensitive: ReadonlySet<string>;
  /** The module's health now: its routes answer 503 while it is unhealthy (its services may not exist). */
  readonly healthy: () => boolean;
}

interface ResultLike {
  isOk(): boolean;
  readonly value?: unknown;
  readonly error?: unknown;
}

function isResult(value: unknown): value is ResultLike {
  return typeof value === "object" && value !== null && typeof (value as { isOk?: unknown }).isOk === "function" && typeof (value as { isErr?: unknown }).isErr === "function";
}

/** Thrown for anything a module route raised that is not an error the API knows how to answer. */
class ModuleRouteFailure extends Error {
  constructor(readonly raised: unknown) {
    super("module route failed");
  }
}

/**
 * The exception that answers a Result's error: a {@link ModuleError} as the module built it; a
 * framework code (a `DbError`, or a module error type using the data layer's codes) exactly as the
 * generic API answers it; any other well-formed code as the module's own, with its declared status
 * or {@link UNDECLARED_MODULE_ERROR_STATUS}. Anything else is a failure of the route.
 */
export function exceptionFor(error: unknown, context: RouteAnswerContext): Error {
  if (isModuleError(error)) return new ModuleErrorException(error);
  const shaped = error as { code?: unknown; message?: unknown; details?: unknown; database?: unknown } | null;
  if (typeof shaped !== "object" || shaped === null || typeof shaped.code !== "string") return new ModuleRouteFailure(error);
  const message = typeof shaped.message === "string" ? shaped.message : shaped.code;
  const details: Record<string, unknown> = typeof shaped.details === "object" && shaped.details !== null ? { ...(shaped.details as Record<string, unknown>) } : {};
  if (typeof shaped.database === "string" && details.database === undefined) details.database = shaped.database;
  if ((API_ERROR_CODES as readonly string[]).includes(shaped.code)) {
    const dbShaped = { code: shaped.code, message, details } as unknown as DbError;
    return new ApiErrorException(scrubErrorDetails(fromDbError(dbShaped), context.sensitive));
  }
  if (!MODULE_ERROR_CODE_PATTERN.test(shaped.code)) return new ModuleRouteFailure(error);
  return new ModuleErrorException(moduleError(context.module, shaped.code, message, { status: context.errors.get(shaped.code) ?? UNDECLARED_MODULE_ERROR_STATUS, details }));
}

/** Answers 500 INTERNAL_ERROR from the module, with the request id; what went wrong goes to the log, never to the client. */
function sendFailure(request: FastifyRequest, reply: FastifyReply, module: string, cause: unknown): FastifyReply {
  request.log.error({ err: cause, module }, "module route failed");
  const error = { code: "INTERNAL_ERROR", message: "The server could not complete the request; the failure has been logged.", module, details: { request_id: request.id } };
  return reply.code(500).send({ error });
}

/**
 * Wraps a module's handler: refuses while the module is unhealthy (503 `MODULE_UNAVAILABLE`),
 * unwraps a returned Result, answers the success status, and turns anything thrown into either
 * the API error it carries or a 500 without internals.
 */
export function answerRoute(handler: ModuleRouteHandler, status: number, context: RouteAnswerContext) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<unknown> => {
    if (!context.healthy()) {
      throw new ApiErrorException({ code: "MODULE_UNAVAILABLE", message: `Module '${context.module}' is not healthy; its problems are listed by GET /api/v1/db/status.`, module: "core.http", details: { module: context.module } });
    }
    try {
      let value = await handler(request, reply);
      if (reply.sent) return reply;
      if (isResult(value)) {
        if (!value.isOk()) throw exceptionFor(value.error, context);
        value = value.value;
      }
      if (value === undefined) return reply.code(204).send();
      reply.code(status);
      return value;
    } catch (error) {
      if (error instanceof ApiErrorException || error instanceof ModuleErrorException) throw error;
      if (error instanceof DbErrorException) throw exceptionFor(error.error, context);
      return sendFailure(request, reply, context.module, error instanceof ModuleRouteFailure ? error.raised : error);
    }
  };
}
