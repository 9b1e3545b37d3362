import type { FastifyInstance } from "fastify";
import { buildOpenApiDocument, type OpenApiDocument } from "../openapi/openapi-document";
import type { RouteCatalog } from "../openapi/route-catalog";
import { tableDocument } from "../openapi/table-schemas";
import { errorResponses, errorResponseSchema, noQuerySchema } from "../schemas/common-schemas";
import type { DatabaseRegistry } from "../../database/database-registry";

/** Adds every open table's concrete paths and schemas (see {@link tableDocument}). */
function withTables(document: OpenApiDocument, registry: DatabaseRegistry | undefined): OpenApiDocument {
  if (registry === undefined) return document;
  const tables = tableDocument(registry, errorResponseSchema);
  return { ...document, paths: { ...document.paths, ...tables.paths }, components: { ...document.components, schemas: tables.schemas } };
}

/** `/api/v1/openapi.json`: the document of every route, built once on first request (all routes are known by then). */
export async function openApiRoute(app: FastifyInstance, options: { catalog: RouteCatalog; version: string; registry?: DatabaseRegistry }): Promise<void> {
  let document: OpenApiDocument | undefined;
  app.get(
    "/api/v1/openapi.json",
    {
      schema: {
        summary: "This OpenAPI document, generated from the route schemas",
        tags: ["meta"],
        querystring: noQuerySchema,
        response: { 200: { type: "object", additionalProperties: true }, ...errorResponses },
      },
    },
    async () => {
      document ??= withTables(buildOpenApiDocument(options.catalog.list(), options.version), options.registry);
      return document;
    },
  );
}
