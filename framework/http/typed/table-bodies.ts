import type { FastifyReply, FastifyRequest } from "fastify";
import type { EntityMetadata } from "typeorm";
import { apiError, ApiErrorException } from "../errors/api-error";
import { tableSchemas } from "../openapi/table-schemas";
import { oneRecordResponse, tablePageResponse } from "../schemas/record-responses";

type JsonSchema = Record<string, unknown>;

interface CompiledSchemas {
  readonly create: JsonSchema;
  readonly update: JsonSchema;
  /** `{ success, database, table, record }` with the table's record schema. */
  readonly one: JsonSchema;
  /** The table page with the table's record schema for every item. */
  readonly page: JsonSchema;
}

const cache = new WeakMap<EntityMetadata, CompiledSchemas>();

/**
 * A request schema without `maxLength`: the CrudService checks declared lengths itself, counting
 * characters as SQL does and naming the length and the limit in the error (a documented contract).
 */
function forRequests(schema: JsonSchema): JsonSchema {
  const properties = Object.fromEntries(
    Object.entries((schema.properties ?? {}) as Record<string, JsonSchema>).map(([name, property]) => {
      const { maxLength: _maxLength, ...rest } = property;
      return [name, rest];
    }),
  );
  return { ...schema, properties, additionalProperties: true };
}

/** Without `required`: a record narrowed by `fields` is still a valid record to serialise. */
function optionalKeys(schema: JsonSchema): JsonSchema {
  const { required: _required, ...rest } = schema;
  return rest;
}

/**
 * The table's schemas as the routes use them, built once per metadata (Fastify caches what it
 * compiles by schema object). Request schemas let unknown properties through, so the CrudService
 * still names an unknown column (COLUMN_NOT_FOUND) as it always has.
 */
function schemasOf(metadata: EntityMetadata): CompiledSchemas {
  let compiled = cache.get(metadata);
  if (compiled === undefined) {
    const built = tableSchemas(metadata);
    const record = optionalKeys(built.record);
    compiled = {
      create: forRequests(built.create),
      update: forRequests(built.update),
      one: oneRecordResponse(record),
      page: tablePageResponse(record),
    };
    cache.set(metadata, compiled);
  }
  return compiled;
}

/**
 * Checks a create or update body against the table's own JSON schema (types, lengths, enums,
 * required columns) before the CrudService sees it. A copy is validated, so the server's type
 * coercion never changes what the CrudService receives: a body it would refuse stays refused.
 */
export function validateTableBody(request: FastifyRequest, metadata: EntityMetadata, mode: "create" | "update"): void {
  const schemas = schemasOf(metadata);
  const validate = request.compileValidationSchema(mode === "create" ? schemas.create : schemas.update, "body");
  if (validate(structuredClone(request.body)) === true) return;
  const errors = (validate.errors ?? []).map((issue) => ({ path: issue.instancePath === "" ? "/" : issue.instancePath, message: issue.message ?? "is invalid", params: issue.params }));
  const summary = errors.map((issue) => `${issue.path} ${issue.message}`).join("; ");
  throw new ApiErrorException(apiError("VALIDATION_FAILED", `Invalid ${metadata.tableName} record: ${summary}.`, "core.http", { table_name: metadata.tableName, errors }));
}

type Serialize = (payload: unknown) => string;

/** A table's one-record and page serialisers, compiled once (fast-json-stringify) and shared by every route. */
const serializers = new WeakMap<EntityMetadata, Partial<Record<"one" | "page", Serialize>>>();

/** What compiles a response schema into a serialiser: the server's own compiler (`app.serializerCompiler`). */
export type SerializerCompiler = (route: { schema: JsonSchema; method: string; url: string; httpStatus: string }) => Serialize;

/**
 * Compiles the one-record and page serialisers of these tables up front (the server calls this
 * when it is ready), so no request pays for building or compiling a table's schema. Tables that
 * become ready later are compiled on their first request, once.
 */
export function compileTableSerializers(compile: SerializerCompiler, tables: readonly EntityMetadata[]): void {
  for (const metadata of tables) {
    const schemas = schemasOf(metadata);
    serializers.set(metadata, {
      one: compile({ schema: schemas.one, method: "GET", url: `/tables/${metadata.tableName}/records/:id`, httpStatus: "200" }),
      page: compile({ schema: schemas.page, method: "GET", url: `/tables/${metadata.tableName}`, httpStatus: "200" }),
    });
  }
}

/** Sends one record (or a page) serialised by fast-json-stringify with the table's own record schema. */
export function sendTyped(reply: FastifyReply, metadata: EntityMetadata, kind: "one" | "page", payload: Record<string, unknown>): FastifyReply {
  let compiled = serializers.get(metadata);
  let serialize = compiled?.[kind];
  if (serialize === undefined) {
    serialize = reply.compileSerializationSchema(schemasOf(metadata)[kind]) as Serialize;
    compiled ??= {};
    compiled[kind] = serialize;
    serializers.set(metadata, compiled);
  }
  return reply.type("application/json; charset=utf-8").send(serialize(payload));
}
