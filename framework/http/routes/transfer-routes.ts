import { createReadStream, createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { FastifyInstance } from "fastify";
import type { Readable } from "node:stream";
import { tableColumns } from "../../crud/column-lookup";
import { TRANSFER_FORMATS, type TransferFormat } from "../../crud/transfer/row-format";
import { exportRecords, exportStream } from "../../crud/transfer/export-records";
import { parseRecords } from "../../crud/transfer/import-records";
import type { ApiContext } from "../api-context";
import type { WriteRouteConfig } from "../auth/bearer-auth";
import { apiError, ApiErrorException } from "../errors/api-error";
import { unwrapApi, unwrapDb } from "../errors/unwrap";
import type { FilterParameter } from "../query/filter-param";
import { parseFields, toListQuery } from "../query/list-query";
import { filterParameterSchema } from "../query/query-schemas";
import { errorResponses, tableParamsSchema } from "../schemas/common-schemas";
import { sensitiveOf } from "../sensitive/hide-sensitive";

interface TableParams {
  readonly database: string;
  readonly table: string;
}
interface ExportQuerystring {
  readonly format?: TransferFormat;
  readonly filter?: FilterParameter;
  readonly sort?: string;
  readonly fields?: string;
  readonly with_deleted?: boolean;
}
interface ImportQuerystring {
  readonly format?: TransferFormat;
  readonly batch?: number;
}

const CONTENT_TYPES: Record<TransferFormat, string> = { ndjson: "application/x-ndjson", csv: "text/csv" };
const formatSchema = { type: "string", enum: [...TRANSFER_FORMATS], description: "ndjson (one JSON object per line) or csv (a header line of column names)." } as const;
const writes: WriteRouteConfig = { writes: true };
/** The largest import body over HTTP (it is spooled to a temporary file before the import starts). */
export const MAX_IMPORT_BYTES = 1024 ** 3;

/** `…/tables/:table/export` (streamed NDJSON/CSV) and `…/tables/:table/import` (NDJSON/CSV body, all or nothing or `batch=N`). */
export async function transferRoutes(app: FastifyInstance, context: ApiContext): Promise<void> {
  const registry = context.framework.databases;
  // The body reaches the handler as a stream: an import is read, validated and inserted as it arrives.
  app.addContentTypeParser(["application/x-ndjson", "text/csv", "text/plain"], (_request, payload, done) => done(null, payload));

  app.get<{ Params: TableParams; Querystring: ExportQuerystring }>(
    "/api/v1/db/databases/:database/tables/:table/export",
    {
      schema: {
        summary: "Stream a filtered, sorted table as NDJSON or CSV (constant memory, follows the client's pace)",
        tags: ["records"],
        params: tableParamsSchema,
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: { format: { ...formatSchema, default: "ndjson" }, filter: filterParameterSchema, sort: { type: "string", minLength: 1, maxLength: 1000 }, fields: { type: "string", minLength: 1, maxLength: 4000 }, with_deleted: { type: "boolean" } },
        },
        response: { ...errorResponses },
      },
    },
    async (request, reply) => {
      const { database, table } = request.params;
      const metadata = await unwrapDb(registry.get(database).andThen((db) => db.table(table)));
      const sensitive = sensitiveOf(metadata);
      const query = unwrapApi(toListQuery({ ...(request.query.filter === undefined ? {} : { filter: request.query.filter }), ...(request.query.sort === undefined ? {} : { sort: request.query.sort }) }, metadata));
      // Sensitive columns never leave the server: the default is every other column.
      const fields = unwrapApi(parseFields(request.query.fields, sensitive)) ?? tableColumns(metadata).map((column) => column.databaseName).filter((name) => !sensitive.has(name));
      const format = request.query.format ?? "ndjson";
      const { columns, batches } = await unwrapDb(exportRecords(context.crud, database, table, { ...query, fields, ...(request.query.with_deleted === undefined ? {} : { withDeleted: request.query.with_deleted }) }), sensitive);
      return reply
        .type(CONTENT_TYPES[format])
        .header("content-disposition", `attachment; filename="${database}-${table}.${format}"`)
        .send(exportStream(columns, batches, format));
    },
  );

  app.post<{ Params: TableParams; Querystring: ImportQuerystring; Body: Readable }>(
    "/api/v1/db/databases/:database/tables/:table/import",
    {
      config: writes,
      schema: {
        summary: "Import NDJSON or CSV rows, validated like createMany: all or nothing, or committed batches of batch=N rows",
        tags: ["records"],
        security: [{ bearerAuth: [] }],
        params: tableParamsSchema,
        querystring: { type: "object", additionalProperties: false, properties: { format: formatSchema, batch: { type: "integer", minimum: 1, maximum: 1_000_000 } } },
        response: { 200: { type: "object", properties: { success: { type: "boolean" }, database: { type: "string" }, table: { type: "string" }, imported: { type: "integer" }, batches: { type: "integer" } } }, ...errorResponses },
      },
    },
    async (request) => {
      const { database, table } = request.params;
      const metadata = await unwrapDb(registry.get(database).andThen((db) => db.table(table)));
      const format: TransferFormat = request.query.format ?? (String(request.headers["content-type"] ?? "").startsWith("text/csv") ? "csv" : "ndjson");
      const options = request.query.batch === undefined ? {} : { batchSize: request.query.batch };
      // The body lands in a temporary file first, so a slow client never holds the write
      // transaction (and with it every other writer of the database) open while it uploads.
      const folder = await mkdtemp(path.join(tmpdir(), "moduledb-import-"));
      try {
        const file = path.join(folder, `body.${format}`);
        let received = 0;
        const bounded = new Transform({
          transform(chunk: Buffer, _encoding, done) {
            received += chunk.length;
            if (received > MAX_IMPORT_BYTES) done(new ApiErrorException(apiError("PAYLOAD_TOO_LARGE", `An import body may hold at most ${MAX_IMPORT_BYTES} bytes; split the file or use moduledb import.`, "core.http", { limit_bytes: MAX_IMPORT_BYTES })));
            else done(null, chunk);
          },
        });
        await pipeline(request.body, bounded, createWriteStream(file));
        const report = await unwrapDb(context.crud.importRecords(database, table, parseRecords(format, createReadStream(file), metadata, database), options), sensitiveOf(metadata));
        return { success: true, database, table, ...report };
      } finally {
        await rm(folder, { recursive: true, force: true });
      }
    },
  );
}
