import type { FastifyInstance } from "fastify";
import type { ResultAsync } from "neverthrow";
import type { MigrationError } from "../../migrations/migration-error";
import { MigrationService, type DatabaseRunReport } from "../../migrations/migration-service";
import { viewMigrationStatus } from "../../migrations/migration-status-view";
import { REVERT_ALL } from "../../migrations/revert-migrations";
import { viewGeneratedMigration } from "../../migrations/generated-migration-view";
import type { ApiContext } from "../api-context";
import type { AccessRouteConfig } from "../auth/access-control";
import { apiError, ApiErrorException } from "../errors/api-error";
import { fromMigrationError } from "../errors/from-migration-error";
import { errorResponses, stringArray } from "../schemas/common-schemas";
import { requestActor } from "./operations-routes";

const writes: AccessRouteConfig = { writes: true, scope: "admin" };
const adminOnly: AccessRouteConfig = { scope: "admin" };
const bearer = [{ bearerAuth: [] }];
/** The `target` that applies every pending migration (Alembic's spelling). */
export const HEAD_TARGET = "head";

const databaseName = { type: "string", minLength: 1, maxLength: 128, description: "A DATABASE_NAME." } as const;
const nameList = { type: "array", items: { type: "object", properties: { name: { type: "string" }, description: { type: ["string", "null"] } } } } as const;

const statusResponse = {
  type: "object",
  properties: {
    success: { type: "boolean" },
    databases: {
      type: "array",
      items: {
        type: "object",
        properties: {
          database: { type: "string" },
          state: { type: "string" },
          applied: {
            type: "array",
            items: { type: "object", properties: { name: { type: "string" }, description: { type: ["string", "null"] }, applied_at: { type: "string" }, mode: { type: "string", enum: ["run", "baseline"] } } },
          },
          pending: nameList,
          missing: stringArray,
          drift: { type: "array", items: { type: "object", properties: { kind: { type: "string" }, table: { type: "string" }, additive: { type: "boolean" }, description: { type: "string" } } } },
          applied_at_boot: stringArray,
        },
      },
    },
  },
} as const;

const generateResponse = {
  type: "object",
  properties: {
    success: { type: "boolean" },
    database: { type: "string" },
    written: { type: "boolean", description: "False when the entities and the database already agree." },
    name: { type: ["string", "null"] },
    file: { type: ["string", "null"] },
    needs_build: { type: "boolean", description: "True when the server runs the compiled build: the new file takes effect after npm run build." },
    changes: stringArray,
    up: stringArray,
    down: stringArray,
    notes: stringArray,
  },
} as const;

const runResponse = {
  type: "object",
  properties: {
    success: { type: "boolean" },
    target: { type: "string" },
    databases: {
      type: "array",
      items: {
        type: "object",
        properties: { database: { type: "string" }, applied: nameList, reverted: nameList, applied_at_boot: stringArray },
      },
    },
  },
} as const;

interface RunBody {
  readonly database?: string;
  readonly target?: string;
}

async function unwrapMigration<T>(result: ResultAsync<T, MigrationError>): Promise<T> {
  const settled = await result;
  if (settled.isOk()) return settled.value;
  throw new ApiErrorException(fromMigrationError(settled.error));
}

/** One failed database makes the whole run an error; what the others applied is kept in the details. */
function reportRun(reports: readonly DatabaseRunReport[], target: string) {
  const failed = reports.find((report) => report.failure !== undefined);
  const databases = reports.map((report) => ({
    database: report.database,
    applied: report.applied.map((entry) => ({ name: entry.name, description: entry.description })),
    reverted: [],
    applied_at_boot: report.appliedAtBoot,
  }));
  if (failed?.failure !== undefined) {
    const error = fromMigrationError(failed.failure);
    throw new ApiErrorException({ ...error, details: { ...error.details, databases } });
  }
  return { success: true, target, databases };
}

/** The migration service of the framework's container, or a clear 501 when this build has none. */
function serviceOf(context: ApiContext): MigrationService {
  if (context.framework.container.isRegistered(MigrationService, true)) return context.framework.resolve(MigrationService);
  throw new ApiErrorException(apiError("NOT_IMPLEMENTED", "Migration operations are not available in this build.", "core.migrations", {}));
}

/**
 * `/api/v1/db/migrations/…` over the framework's MigrationService: status of every (or one)
 * database, generate a migration from an entity change, and run pending migrations (`target`
 * `head`) or go back to an applied migration (`target` its name, or `base` for none).
 */
export async function migrationRoutes(app: FastifyInstance, context: ApiContext): Promise<void> {
  app.get<{ Querystring: { database?: string } }>(
    "/api/v1/db/migrations/status",
    {
      config: adminOnly,
      schema: {
        summary: "Applied, pending and missing migrations and schema drift of every database (or one)",
        tags: ["migrations"],
        querystring: { type: "object", additionalProperties: false, properties: { database: databaseName } },
        response: { 200: statusResponse, ...errorResponses },
      },
    },
    async (request) => {
      const statuses = await unwrapMigration(serviceOf(context).status(request.query.database));
      return { success: true, databases: statuses.map(viewMigrationStatus) };
    },
  );

  app.post<{ Body: { database: string; message: string } }>(
    "/api/v1/db/migrations/generate",
    {
      config: writes,
      schema: {
        summary: "Write a migration for the difference between a database's entities and its file (201), or report there is none (200)",
        tags: ["migrations"],
        security: bearer,
        body: {
          type: "object",
          required: ["database", "message"],
          additionalProperties: false,
          properties: { database: databaseName, message: { type: "string", minLength: 1, maxLength: 200, description: "What the migration does; names its file and class." } },
        },
        response: { 200: generateResponse, 201: generateResponse, ...errorResponses },
      },
    },
    async (request, reply) => {
      const generated = await unwrapMigration(serviceOf(context).generate(request.body.database, request.body.message));
      return reply.code(generated.written ? 201 : 200).send({ success: true, ...viewGeneratedMigration(generated) });
    },
  );

  app.post<{ Body: RunBody | undefined }>(
    "/api/v1/db/migrations/run",
    {
      config: writes,
      // An empty POST means "run everything"; give the schema an object to validate.
      preValidation: async (request) => {
        request.body ??= {};
      },
      schema: {
        summary:
          "Apply pending migrations (target head, the default) of one database or all; or revert one database to an applied migration (target its name, or base). The database is suspended meanwhile (503) and re-checked afterwards: served when its schema agrees, refused with the reason otherwise",
        tags: ["migrations"],
        security: bearer,
        body: {
          type: "object",
          additionalProperties: false,
          properties: {
            database: databaseName,
            target: { type: "string", minLength: 1, maxLength: 200, default: HEAD_TARGET, description: `${HEAD_TARGET} (apply every pending migration), the name of an applied migration to go back to, or ${REVERT_ALL}.` },
          },
        },
        response: { 200: runResponse, ...errorResponses },
      },
    },
    async (request) => {
      const service = serviceOf(context);
      const { database, target = HEAD_TARGET } = request.body ?? {};
      if (target === HEAD_TARGET) return reportRun(await unwrapMigration(service.run(database, { actor: requestActor(request) })), target);
      if (database === undefined) {
        throw new ApiErrorException(apiError("VALIDATION_FAILED", `Going back to '${target}' needs a database: send { "database": "<name>", "target": "${target}" }.`, "core.migrations", { target }));
      }
      const pending = await unwrapMigration(service.status(database));
      if (pending[0]?.pending.some((migration) => migration.name === target) === true) {
        throw new ApiErrorException(
          apiError("VALIDATION_FAILED", `Migration '${target}' is pending: pending migrations are applied together with target '${HEAD_TARGET}'.`, "core.migrations", { database, target }),
        );
      }
      const outcome = await unwrapMigration(service.revert(database, { to: target }, { actor: requestActor(request) }));
      return {
        success: true,
        target,
        databases: [{ database: outcome.database, applied: [], reverted: outcome.reverted.map((entry) => ({ name: entry.name, description: entry.description })), applied_at_boot: [] }],
      };
    },
  );
}
