import type { FastifyInstance } from "fastify";
import type { EntityMetadata } from "typeorm";
import type { ApiContext } from "../api-context";
import { guardTable } from "../access/table-guard";
import type { WriteRouteConfig } from "../auth/bearer-auth";
import { apiError, ApiErrorException } from "../errors/api-error";
import { unwrapApi, unwrapDb } from "../errors/unwrap";
import { parseFilterParameter, type FilterParameter } from "../query/filter-param";
import { parseFields } from "../query/list-query";
import { filterParameterSchema } from "../query/query-schemas";
import { errorResponses, recordParamsSchema, tableParamsSchema } from "../schemas/common-schemas";
import { oneRecordResponse } from "../schemas/record-responses";
import { sensitiveOf, withoutSensitive } from "../sensitive/hide-sensitive";

interface TableParams {
  readonly database: string;
  readonly table: string;
}
interface RecordParams extends TableParams {
  readonly id: string;
}
interface AggregateQuerystring {
  readonly filter?: FilterParameter;
  readonly group_by?: string;
  readonly count?: boolean;
  readonly sum?: string;
  readonly avg?: string;
  readonly min?: string;
  readonly max?: string;
  readonly with_deleted?: boolean;
}
interface BulkQuerystring {
  readonly filter?: FilterParameter;
}

const columnsParameter = (what: string) => ({ type: "string", minLength: 1, maxLength: 4000, description: `Comma-separated columns ${what}.` }) as const;
const aggregateQuerySchema = {
  type: "object",
  additionalProperties: false,
  properties: {
    filter: filterParameterSchema,
    group_by: columnsParameter("to group by (one result row per distinct combination)"),
    count: { type: "boolean", description: "Count the rows of each group (the default when nothing else is asked for)." },
    sum: columnsParameter("to add up (numeric columns only)"),
    avg: columnsParameter("to average (numeric columns only)"),
    min: columnsParameter("whose smallest value to report"),
    max: columnsParameter("whose largest value to report"),
    with_deleted: { type: "boolean", description: "Include soft-deleted rows." },
  },
} as const;
const bulkQuerySchema = { type: "object", additionalProperties: false, required: ["filter"], properties: { filter: filterParameterSchema } } as const;
const valuesByColumn = { type: "object", additionalProperties: true } as const;
const aggregateResponse = {
  type: "object",
  properties: {
    success: { type: "boolean" },
    database: { type: "string" },
    table: { type: "string" },
    rows: {
      type: "array",
      items: { type: "object", properties: { group: valuesByColumn, count: { type: "integer" }, sum: valuesByColumn, avg: valuesByColumn, min: valuesByColumn, max: valuesByColumn } },
    },
  },
} as const;
const bulkResponse = { type: "object", properties: { success: { type: "boolean" }, database: { type: "string" }, table: { type: "string" }, affected: { type: "integer" } } } as const;
const recordResponse = oneRecordResponse();
const writes: WriteRouteConfig = { writes: true };
const bearer = [{ bearerAuth: [] }];

/** Column lists of the aggregate parameters, with sensitive columns refused. */
function columnsOf(text: string | undefined, sensitive: ReadonlySet<string>): string[] | undefined {
  return unwrapApi(parseFields(text, sensitive));
}

function recordId(metadata: EntityMetadata, id: string): unknown {
  const keys = metadata.primaryColumns;
  if (keys.length <= 1) return id;
  const parts = id.split(",");
  return Object.fromEntries(keys.map((key, index) => [key.databaseName, parts[index]]));
}

/** `…/tables/:table/aggregate`, bulk `PATCH`/`DELETE …/records?filter…` and `POST …/records/:id/restore`. */
export async function queryRoutes(app: FastifyInstance, context: ApiContext): Promise<void> {
  const registry = context.framework.databases;
  const tableOf = async (params: TableParams, intent: "read" | "write") => (await guardTable(context.framework, params.database, params.table, intent)).metadata;

  app.get<{ Params: TableParams; Querystring: AggregateQuerystring }>(
    "/api/v1/db/databases/:database/tables/:table/aggregate",
    {
      schema: {
        summary: "Count, sum, avg, min and max of a table's rows, optionally per group (at most 1000 groups)",
        tags: ["records"],
        params: tableParamsSchema,
        querystring: aggregateQuerySchema,
        response: { 200: aggregateResponse, ...errorResponses },
      },
    },
    async (request) => {
      const { database, table } = request.params;
      const metadata = await tableOf(request.params, "read");
      const sensitive = sensitiveOf(metadata);
      const q = request.query;
      const filters = unwrapApi(parseFilterParameter(metadata, q.filter));
      const options = {
        filters,
        ...(q.count === undefined ? {} : { count: q.count }),
        ...(q.with_deleted === undefined ? {} : { withDeleted: q.with_deleted }),
        ...Object.fromEntries(
          (["group_by", "sum", "avg", "min", "max"] as const)
            .map((key) => [key === "group_by" ? "groupBy" : key, columnsOf(q[key], sensitive)] as const)
            .filter(([, value]) => value !== undefined),
        ),
      };
      const rows = await unwrapDb(context.crud.aggregate(database, table, options), sensitive);
      return { success: true, database, table, rows };
    },
  );

  const bulkSchema = (summary: string) => ({ summary, tags: ["records"], security: bearer, params: tableParamsSchema, querystring: bulkQuerySchema, response: { 200: bulkResponse, ...errorResponses } });

  app.patch<{ Params: TableParams; Querystring: BulkQuerystring; Body: Record<string, unknown> }>(
    "/api/v1/db/databases/:database/tables/:table/records",
    { config: writes, schema: { ...bulkSchema("Change columns of every record matching filter (one transaction, at most MAX_BULK_ROWS)"), body: { type: "object", minProperties: 1, maxProperties: 500, additionalProperties: true } } },
    async (request) => {
      const { database, table } = request.params;
      const metadata = await tableOf(request.params, "write");
      const filters = unwrapApi(parseFilterParameter(metadata, request.query.filter));
      const result = await unwrapDb(context.crud.updateMany(database, table, filters, request.body), sensitiveOf(metadata));
      return { success: true, database, table, affected: result.affected };
    },
  );

  app.delete<{ Params: TableParams; Querystring: BulkQuerystring }>(
    "/api/v1/db/databases/:database/tables/:table/records",
    { config: writes, schema: bulkSchema("Delete (soft-delete where the table has a delete-date column) every record matching filter; one transaction, at most MAX_BULK_ROWS") },
    async (request) => {
      const { database, table } = request.params;
      const metadata = await tableOf(request.params, "write");
      const filters = unwrapApi(parseFilterParameter(metadata, request.query.filter));
      if (filters.length === 0) throw new ApiErrorException(apiError("VALIDATION_FAILED", "A bulk delete needs a filter.", "core.http", { reason: "empty_filter" }));
      const result = await unwrapDb(context.crud.deleteMany(database, table, filters), sensitiveOf(metadata));
      return { success: true, database, table, affected: result.affected };
    },
  );

  app.post<{ Params: RecordParams }>(
    "/api/v1/db/databases/:database/tables/:table/records/:id/restore",
    { config: writes, schema: { summary: "Bring back a soft-deleted record; returns it as stored", tags: ["records"], security: bearer, params: recordParamsSchema, response: { 200: recordResponse, ...errorResponses } } },
    async (request) => {
      const { database, table, id } = request.params;
      const metadata = await tableOf(request.params, "write");
      const record = await unwrapDb(context.crud.restore(database, table, recordId(metadata, id)), sensitiveOf(metadata));
      return { success: true, database, table, record: withoutSensitive(record, sensitiveOf(metadata)) };
    },
  );
}
