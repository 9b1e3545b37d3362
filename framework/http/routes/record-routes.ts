import type { FastifyInstance } from "fastify";
import type { EntityMetadata } from "typeorm";
import type { ApiContext } from "../api-context";
import { guardTable } from "../access/table-guard";
import type { WriteRouteConfig } from "../auth/bearer-auth";
import { unwrapDb } from "../errors/unwrap";
import { errorResponses, recordParamsSchema, recordSchema, tableParamsSchema } from "../schemas/common-schemas";
import { sensitiveOf, withoutSensitive } from "../sensitive/hide-sensitive";

interface TableParams {
  readonly database: string;
  readonly table: string;
}
interface RecordParams extends TableParams {
  readonly id: string;
}

const recordBodySchema = { type: "object", maxProperties: 500, additionalProperties: true, description: "Column values keyed by column name." } as const;

const recordResponse = {
  type: "object",
  properties: { success: { type: "boolean" }, database: { type: "string" }, table: { type: "string" }, record: recordSchema },
} as const;

const writes: WriteRouteConfig = { writes: true };
const bearer = [{ bearerAuth: [] }];

/** The CrudService id for a path `:id`: the text itself, or for composite keys an object built from `a,b`. */
function recordId(metadata: EntityMetadata, id: string): unknown {
  const keys = metadata.primaryColumns;
  if (keys.length <= 1) return id;
  const parts = id.split(",");
  return Object.fromEntries(keys.map((key, index) => [key.databaseName, parts[index]]));
}

/** `…/tables/:table/records[/:id]`: create, read, update and delete one record through the CrudService. */
export async function recordRoutes(app: FastifyInstance, context: ApiContext): Promise<void> {
  const tableOf = async (params: TableParams, intent: "read" | "write") => (await guardTable(context.framework, params.database, params.table, intent)).metadata;
  const respond = (params: TableParams, metadata: EntityMetadata, record: Record<string, unknown>) => ({
    success: true,
    database: params.database,
    table: params.table,
    record: withoutSensitive(record, sensitiveOf(metadata)),
  });

  app.post<{ Params: TableParams; Body: Record<string, unknown> }>(
    "/api/v1/db/databases/:database/tables/:table/records",
    {
      config: writes,
      schema: {
        summary: "Create a record; returns it as stored (sensitive columns omitted)",
        tags: ["records"],
        security: bearer,
        params: tableParamsSchema,
        body: recordBodySchema,
        response: { 201: recordResponse, ...errorResponses },
      },
    },
    async (request, reply) => {
      const metadata = await tableOf(request.params, "write");
      const record = await unwrapDb(context.crud.create(request.params.database, request.params.table, request.body), sensitiveOf(metadata));
      return reply.code(201).send(respond(request.params, metadata, record));
    },
  );

  app.get<{ Params: RecordParams }>(
    "/api/v1/db/databases/:database/tables/:table/records/:id",
    {
      schema: { summary: "One record by primary key", tags: ["records"], params: recordParamsSchema, response: { 200: recordResponse, ...errorResponses } },
    },
    async (request) => {
      const metadata = await tableOf(request.params, "read");
      const record = await unwrapDb(context.crud.get(request.params.database, request.params.table, recordId(metadata, request.params.id), { maxBytes: context.responseLimit }), sensitiveOf(metadata));
      return respond(request.params, metadata, record);
    },
  );

  app.patch<{ Params: RecordParams; Body: Record<string, unknown> }>(
    "/api/v1/db/databases/:database/tables/:table/records/:id",
    {
      config: writes,
      schema: {
        summary: "Change some columns of a record; returns it as stored",
        tags: ["records"],
        security: bearer,
        params: recordParamsSchema,
        body: { ...recordBodySchema, minProperties: 1 },
        response: { 200: recordResponse, ...errorResponses },
      },
    },
    async (request) => {
      const metadata = await tableOf(request.params, "write");
      const { database, table, id } = request.params;
      const record = await unwrapDb(context.crud.update(database, table, recordId(metadata, id), request.body), sensitiveOf(metadata));
      return respond(request.params, metadata, record);
    },
  );

  app.delete<{ Params: RecordParams }>(
    "/api/v1/db/databases/:database/tables/:table/records/:id",
    {
      config: writes,
      schema: {
        summary: "Delete a record; returns it as it was",
        tags: ["records"],
        security: bearer,
        params: recordParamsSchema,
        response: { 200: recordResponse, ...errorResponses },
      },
    },
    async (request) => {
      const metadata = await tableOf(request.params, "write");
      const record = await unwrapDb(context.crud.delete(request.params.database, request.params.table, recordId(metadata, request.params.id)), sensitiveOf(metadata));
      return respond(request.params, metadata, record);
    },
  );
}
