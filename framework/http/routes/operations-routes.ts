import type { FastifyInstance, FastifyRequest } from "fastify";
import { MAX_OPERATIONS_PER_READ, OPERATION_KINDS } from "../../system/operations-log";
import type { ApiContext } from "../api-context";
import type { AccessRouteConfig } from "../auth/access-control";
import { unwrapDb } from "../errors/unwrap";
import { databaseParamsSchema, errorResponses, stringArray } from "../schemas/common-schemas";

const writes: AccessRouteConfig = { writes: true, scope: "admin" };
const adminOnly: AccessRouteConfig = { scope: "admin" };
const bearer = [{ bearerAuth: [] }];

/** The actor an operations-log entry names for a request: the client's address and the request id. */
export function requestActor(request: FastifyRequest): string {
  return `http ${request.ip} (request ${request.id})`;
}

const reloadResponse = {
  type: "object",
  properties: {
    success: { type: "boolean" },
    database: { type: "string" },
    previous_state: { type: "string" },
    state: { type: "string", enum: ["ready", "refused", "failed", "closed"] },
    problems: stringArray,
    applied: { ...stringArray, description: "Additive schema changes applied by this re-check." },
  },
} as const;

const operationSchema = {
  type: "object",
  properties: {
    id: { type: "integer" },
    at: { type: "string", description: "ISO time with milliseconds." },
    kind: { type: "string", enum: [...OPERATION_KINDS] },
    actor: { type: "string" },
    database: { type: ["string", "null"] },
    outcome: { type: "string", enum: ["ok", "failed", "refused"] },
    message: { type: "string" },
    details: { type: "object", additionalProperties: true },
  },
} as const;

interface OperationsQuery {
  readonly limit?: number;
  readonly database?: string;
  readonly kind?: string;
}

/** `POST /api/v1/db/databases/{db}/reload` (re-check a database now) and `GET /api/v1/db/operations` (the operations log). */
export async function operationsRoutes(app: FastifyInstance, context: ApiContext): Promise<void> {
  const registry = context.framework.databases;

  app.post<{ Params: { database: string } }>(
    "/api/v1/db/databases/:database/reload",
    {
      config: writes,
      schema: {
        summary: "Re-check a database against its entities and migrations now: a refused database whose schema agrees becomes ready, one that no longer agrees is refused with the reason",
        tags: ["databases"],
        security: bearer,
        params: databaseParamsSchema,
        response: { 200: reloadResponse, ...errorResponses },
      },
    },
    async (request) => {
      const name = request.params.database;
      const previous = registry.entry(name)?.state;
      const entry = await unwrapDb(registry.reload(name));
      return { success: true, database: name, previous_state: previous ?? entry.state, state: entry.state, problems: entry.problems, applied: entry.applied.map((change) => change.description) };
    },
  );

  app.get<{ Querystring: OperationsQuery }>(
    "/api/v1/db/operations",
    {
      config: adminOnly,
      schema: {
        summary: "The operations log, newest first: boots, shutdowns, migrations run and reverted, seeds, backups, restores, databases refused or made ready",
        tags: ["status"],
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: {
            limit: { type: "integer", minimum: 1, maximum: MAX_OPERATIONS_PER_READ, default: 50 },
            database: { type: "string", minLength: 1, maxLength: 128 },
            kind: { type: "string", enum: [...OPERATION_KINDS] },
          },
        },
        response: { 200: { type: "object", properties: { success: { type: "boolean" }, operations: { type: "array", items: operationSchema } } }, ...errorResponses },
      },
    },
    async (request) => {
      const operations = await unwrapDb(context.framework.operations.list(request.query));
      return { success: true, operations };
    },
  );
}
