import type { FastifyInstance } from "fastify";
import { readAudit, MAX_AUDIT_PAGE_SIZE, DEFAULT_AUDIT_PAGE_SIZE, type AuditFilter } from "../../audit/audit-log";
import type { ApiContext } from "../api-context";
import type { AccessRouteConfig } from "../auth/access-control";
import { apiError, ApiErrorException } from "../errors/api-error";
import { unwrapDb } from "../errors/unwrap";
import { databaseParamsSchema, errorResponses, stringArray } from "../schemas/common-schemas";

const adminOnly: AccessRouteConfig = { scope: "admin" };

interface AuditQuery {
  readonly table?: string;
  readonly record?: string;
  readonly actor?: string;
  readonly from?: string;
  readonly to?: string;
  readonly page?: number;
  readonly page_size?: number;
}

const auditEntrySchema = {
  type: "object",
  properties: {
    id: { type: "integer" },
    at: { type: "string", description: "ISO time with milliseconds." },
    actor: { type: "string", description: "The token's name, `anonymous`, `service:<Class>` (a module service through CrudService), `cli:<user>` or `service:unknown`." },
    request_id: { type: ["string", "null"], description: "The x-request-id of the HTTP request the write served, if any." },
    table: { type: "string" },
    operation: { type: "string", enum: ["create", "update", "delete", "restore", "hard-delete", "import"] },
    record_key: { type: "string", description: "The primary key as text; for a composite key, JSON of column → value." },
    changed_columns: stringArray,
    values: { type: ["object", "null"], additionalProperties: true, description: "Changed values of non-sensitive columns; never a sensitive column's value; null for deletes and restores." },
  },
} as const;

const timeParameter = { type: "string", minLength: 1, maxLength: 40, description: "An ISO 8601 time or epoch milliseconds." } as const;

/** Epoch ms of an ISO time or a whole number of ms; VALIDATION_FAILED naming the parameter otherwise. */
function parseTime(name: "from" | "to", value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = /^\d+$/.test(value) ? Number(value) : /^\d{4}-\d{2}-\d{2}/.test(value) ? Date.parse(value) : Number.NaN;
  if (!Number.isFinite(ms)) throw new ApiErrorException(apiError("VALIDATION_FAILED", `Query parameter '${name}' must be an ISO 8601 time or epoch milliseconds, got '${value}'.`, "core.http", { parameter: name, value }));
  return ms;
}

/** `GET /api/v1/db/databases/{db}/audit`: the database's audit trail, newest first (admin). */
export async function auditRoutes(app: FastifyInstance, context: ApiContext): Promise<void> {
  app.get<{ Params: { database: string }; Querystring: AuditQuery }>(
    "/api/v1/db/databases/:database/audit",
    {
      config: adminOnly,
      schema: {
        summary: "The database's audit trail, newest first: one row per record written through the generic API or CrudService (who, which request, table, operation, key, changed columns and non-sensitive values)",
        tags: ["databases"],
        params: databaseParamsSchema,
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: {
            table: { type: "string", minLength: 1, maxLength: 200 },
            record: { type: "string", minLength: 1, maxLength: 2000, description: "A record_key: the key as text, or a composite key's JSON." },
            actor: { type: "string", minLength: 1, maxLength: 200 },
            from: timeParameter,
            to: timeParameter,
            page: { type: "integer", minimum: 1, default: 1 },
            page_size: { type: "integer", minimum: 1, maximum: MAX_AUDIT_PAGE_SIZE, default: DEFAULT_AUDIT_PAGE_SIZE },
          },
        },
        response: {
          200: {
            type: "object",
            properties: {
              success: { type: "boolean" },
              database: { type: "string" },
              page: { type: "integer" },
              page_size: { type: "integer" },
              total_records: { type: "integer" },
              total_pages: { type: "integer" },
              entries: { type: "array", items: auditEntrySchema },
            },
          },
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const database = await unwrapDb(context.framework.databases.get(request.params.database));
      const { table, record, actor, page, page_size } = request.query;
      const from = parseTime("from", request.query.from);
      const to = parseTime("to", request.query.to);
      const filter: AuditFilter = { table, record, actor, from, to, page, pageSize: page_size };
      const found = await unwrapDb(readAudit(database, filter));
      return { success: true, database: database.name, page: found.page, page_size: found.pageSize, total_records: found.totalRecords, total_pages: found.totalPages, entries: found.entries };
    },
  );
}
