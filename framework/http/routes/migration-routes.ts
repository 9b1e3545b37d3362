import type { FastifyInstance } from "fastify";
import type { ApiContext } from "../api-context";
import type { WriteRouteConfig } from "../auth/bearer-auth";
import { apiError, ApiErrorException } from "../errors/api-error";
import { errorResponses, noQuerySchema } from "../schemas/common-schemas";

const writes: WriteRouteConfig = { writes: true };
const bearer = [{ bearerAuth: [] }];

function notImplemented(): never {
  throw new ApiErrorException(apiError("NOT_IMPLEMENTED", "Migration operations are not available in this build.", "core.migrations", {}));
}

/** `/api/v1/db/migrations/…`: status, generate, run. */
export async function migrationRoutes(app: FastifyInstance, _context: ApiContext): Promise<void> {
  app.get(
    "/api/v1/db/migrations/status",
    { schema: { summary: "Applied and pending migrations of every database", tags: ["migrations"], querystring: noQuerySchema, response: { ...errorResponses } } },
    async () => notImplemented(),
  );
  app.post(
    "/api/v1/db/migrations/generate",
    {
      config: writes,
      schema: {
        summary: "Write a migration from the difference between a database's entities and its file",
        tags: ["migrations"],
        security: bearer,
        body: {
          type: "object",
          required: ["database", "message"],
          additionalProperties: false,
          properties: { database: { type: "string", minLength: 1, maxLength: 128 }, message: { type: "string", minLength: 1, maxLength: 200 } },
        },
        response: { ...errorResponses },
      },
    },
    async () => notImplemented(),
  );
  app.post(
    "/api/v1/db/migrations/run",
    {
      config: writes,
      schema: {
        summary: "Apply pending migrations (of one database, or all), up to a target",
        tags: ["migrations"],
        security: bearer,
        body: {
          type: "object",
          additionalProperties: false,
          properties: { database: { type: "string", minLength: 1, maxLength: 128 }, target: { type: "string", minLength: 1, maxLength: 200 } },
        },
        response: { ...errorResponses },
      },
    },
    async () => notImplemented(),
  );
}
