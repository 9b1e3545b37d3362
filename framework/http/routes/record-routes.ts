import type { FastifyInstance } from "fastify";
import type { EntityMetadata } from "typeorm";
import type { ApiContext } from "../api-context";
import { guardTable } from "../access/table-guard";
import type { WriteRouteConfig } from "../auth/bearer-auth";
import { unwrapApi, unwrapDb } from "../errors/unwrap";
import { parseFields } from "../query/list-query";
import { errorResponses, recordParamsSchema, tableParamsSchema } from "../schemas/common-schemas";
import { oneRecordResponse } from "../schemas/record-responses";
import { withoutSensitiveDeep } from "../sensitive/hide-included";
import { sendTyped, validateTableBody } from "../typed/table-bodies";
import { sensitiveOf } from "../sensitive/hide-sensitive";

interface TableParams {
  readonly database: string;
  readonly table: string;
}
interface RecordParams extends TableParams {
  readonly id: string;
}

interface RecordQuery {
  readonly fields?: string;
  readonly with_deleted?: boolean;
  readonly include?: string;
}
const recordQuerySchema = {
  type: "object",
  additionalProperties: false,
  properties: {
    fields: { type: "string", minLength: 1, maxLength: 4000, description: "Comma-separated columns to return; the primary key always comes too." },
    with_deleted: { type: "boolean", description: "Find the record even when it is soft-deleted." },
    include: { type: "string", minLength: 1, maxLength: 1000, description: "Comma-separated relations to load (as on the table page)." },
  },
} as const;

const recordBodySchema = { type: "object", maxProperties: 500, additionalProperties: true, description: "Column values keyed by column name." } as const;

const recordResponse = oneRecordResponse();

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
    record: withoutSensitiveDeep(record, metadata),
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
      validateTableBody(request, metadata, "create");
      const record = await unwrapDb(context.crud.create(request.params.database, request.params.table, request.body), sensitiveOf(metadata));
      return sendTyped(reply.code(201), metadata, "one", respond(request.params, metadata, record));
    },
  );

  app.get<{ Params: RecordParams; Querystring: RecordQuery }>(
    "/api/v1/db/databases/:database/tables/:table/records/:id",
    {
      schema: { summary: "One record by primary key", tags: ["records"], params: recordParamsSchema, querystring: recordQuerySchema, response: { 200: recordResponse, ...errorResponses } },
    },
    async (request, reply) => {
      const metadata = await tableOf(request.params, "read");
      const fields = unwrapApi(parseFields(request.query.fields, sensitiveOf(metadata)));
      const options = { maxBytes: context.responseLimit, ...(fields === undefined ? {} : { fields }), ...(request.query.with_deleted === undefined ? {} : { withDeleted: request.query.with_deleted }), ...(request.query.include === undefined ? {} : { include: request.query.include.split(",") }) };
      const record = await unwrapDb(context.crud.get(request.params.database, request.params.table, recordId(metadata, request.params.id), options), sensitiveOf(metadata));
      return sendTyped(reply, metadata, "one", respond(request.params, metadata, record));
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
    async (request, reply) => {
      const metadata = await tableOf(request.params, "write");
      validateTableBody(request, metadata, "update");
      const { database, table, id } = request.params;
      const record = await unwrapDb(context.crud.update(database, table, recordId(metadata, id), request.body), sensitiveOf(metadata));
      return sendTyped(reply, metadata, "one", respond(request.params, metadata, record));
    },
  );

  app.delete<{ Params: RecordParams; Querystring: { hard?: boolean } }>(
    "/api/v1/db/databases/:database/tables/:table/records/:id",
    {
      config: writes,
      schema: {
        summary: "Delete a record (soft delete on tables with a delete-date column, unless hard=true); returns it",
        tags: ["records"],
        security: bearer,
        params: recordParamsSchema,
        querystring: { type: "object", additionalProperties: false, properties: { hard: { type: "boolean", description: "Remove the row for good, even on a soft-delete table." } } },
        response: { 200: recordResponse, ...errorResponses },
      },
    },
    async (request) => {
      const metadata = await tableOf(request.params, "write");
      const { database, table, id } = request.params;
      const remove = request.query.hard === true ? context.crud.hardDelete(database, table, recordId(metadata, id)) : context.crud.delete(database, table, recordId(metadata, id));
      const record = await unwrapDb(remove, sensitiveOf(metadata));
      return respond(request.params, metadata, record);
    },
  );
}
