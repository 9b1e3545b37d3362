import type { FastifyInstance } from "fastify";
import type { ApiContext } from "../api-context";
import { guardTable } from "../access/table-guard";
import { grants, reaches } from "../../access/api-tokens";
import { requestPrincipal } from "../auth/access-control";
import { describeTable } from "../../inspection/describe-table";
import { visibleSchema } from "../describe/table-schema";
import { unwrapApi, unwrapDb } from "../errors/unwrap";
import { toListQuery, type TablePageQuery } from "../query/list-query";
import { tablePageQuerySchema } from "../query/query-schemas";
import { errorResponses, databaseParamsSchema, noQuerySchema, stringArray, tableParamsSchema } from "../schemas/common-schemas";
import { tablePageResponse } from "../schemas/record-responses";
import { withoutSensitiveDeep } from "../sensitive/hide-included";
import { sendTyped } from "../typed/table-bodies";
import { sensitiveOf } from "../sensitive/hide-sensitive";

interface DatabaseParams {
  readonly database: string;
}
interface TableParams extends DatabaseParams {
  readonly table: string;
}

const columnSchema = {
  type: "object",
  properties: {
    name: { type: "string" },
    type: { type: "string" },
    nullable: { type: "boolean" },
    default: { type: ["string", "null"] },
    primary: { type: "boolean" },
    unique: { type: "boolean" },
    generated: { type: "boolean" },
    generation_strategy: { type: ["string", "null"], description: "How a generated value is made (increment, uuid, rowid), or null." },
    length: { type: ["string", "null"] },
  },
} as const;

const tableSchemaResponse = {
  type: "object",
  properties: {
    success: { type: "boolean" },
    database: { type: "string" },
    table: { type: "string" },
    access: { type: "string", enum: ["read", "read-write"], description: "What the generic API allows on this table: read, or read-write." },
    schema_definition: {
      type: "object",
      properties: {
        columns: { type: "array", items: columnSchema },
        indexes: { type: "array", items: { type: "object", properties: { name: { type: "string" }, columns: stringArray, unique: { type: "boolean" } } } },
        foreign_keys: {
          type: "array",
          items: {
            type: "object",
            properties: {
              name: { type: ["string", "null"] },
              columns: stringArray,
              referenced_table: { type: "string" },
              referenced_columns: stringArray,
              on_delete: { type: ["string", "null"] },
              on_update: { type: ["string", "null"] },
            },
          },
        },
        checks: { type: "array", items: { type: "object", properties: { name: { type: ["string", "null"] }, expression: { type: "string" } } } },
      },
    },
  },
} as const;

/** `/api/v1/db/databases…`: databases, their tables, a table's rows (paged) and its schema. */
export async function databaseRoutes(app: FastifyInstance, context: ApiContext): Promise<void> {
  const registry = context.framework.databases;

  app.get(
    "/api/v1/db/databases",
    {
      schema: {
        summary: "Every database with its state, modules and table count",
        tags: ["databases"],
        querystring: noQuerySchema,
        response: {
          200: {
            type: "object",
            properties: {
              success: { type: "boolean" },
              databases: {
                type: "array",
                items: {
                  type: "object",
                  properties: { name: { type: "string" }, file: { type: "string" }, state: { type: "string" }, modules: stringArray, table_count: { type: "integer" }, problems: stringArray },
                },
              },
            },
          },
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const principal = requestPrincipal(request);
      const admin = grants(principal, "admin");
      return {
        success: true,
        databases: registry
          .list()
          .filter((entry) => reaches(principal, entry.name))
          .map((entry) => ({
            name: entry.name,
            ...(admin ? { file: entry.file } : {}),
            state: entry.state,
            modules: entry.modules,
            table_count: entry.state === "ready" && entry.database !== undefined ? context.framework.access.visibleTables(entry.database).length : 0,
            problems: entry.problems,
          })),
      };
    },
  );

  app.get<{ Params: DatabaseParams }>(
    "/api/v1/db/databases/:database/tables",
    {
      schema: {
        summary: "The tables of one database",
        tags: ["databases"],
        params: databaseParamsSchema,
        querystring: noQuerySchema,
        response: {
          200: {
            type: "object",
            properties: {
              success: { type: "boolean" },
              database: { type: "string" },
              tables: { ...stringArray, description: "The tables the generic API shows (hidden tables are never listed)." },
              access: { type: "object", additionalProperties: { type: "string", enum: ["read", "read-write"] }, description: "Each listed table's access level: read (no generic writes) or read-write." },
            },
          },
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const database = await unwrapDb(registry.get(request.params.database));
      const visible = context.framework.access.visibleTables(database);
      return { success: true, database: database.name, tables: visible.map((table) => table.name), access: Object.fromEntries(visible.map((table) => [table.name, table.access])) };
    },
  );

  app.get<{ Params: TableParams; Querystring: TablePageQuery }>(
    "/api/v1/db/databases/:database/tables/:table",
    {
      schema: {
        summary: "One page of a table's rows, sorted and filtered",
        tags: ["records"],
        params: tableParamsSchema,
        querystring: tablePageQuerySchema,
        response: { 200: tablePageResponse(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const { database, table } = request.params;
      const { metadata } = await guardTable(context.framework, database, table, "read");
      const sensitive = sensitiveOf(metadata);
      const query = unwrapApi(toListQuery(request.query, metadata));
      const page = await unwrapDb(context.crud.list(database, table, { ...query, maxBytes: context.responseLimit }), sensitive);
      return sendTyped(reply, metadata, "page", {
        success: true,
        database,
        table,
        page: page.page,
        page_size: page.pageSize,
        total_records: page.totalRecords,
        total_pages: page.totalPages,
        next_cursor: page.nextCursor,
        records: page.records.map((record) => withoutSensitiveDeep(record, metadata)),
      });
    },
  );

  app.get<{ Params: TableParams }>(
    "/api/v1/db/databases/:database/tables/:table/schema",
    {
      schema: {
        summary: "A table's columns, indexes, foreign keys and checks",
        tags: ["databases"],
        params: tableParamsSchema,
        querystring: noQuerySchema,
        response: { 200: tableSchemaResponse, ...errorResponses },
      },
    },
    async (request) => {
      const { database, table } = request.params;
      const db = await unwrapDb(registry.get(database));
      const { metadata, access } = await guardTable(context.framework, database, table, "read");
      const schema = await unwrapDb(await describeTable(db, table));
      return { success: true, database, table, access, schema_definition: visibleSchema(schema, sensitiveOf(metadata)) };
    },
  );
}
