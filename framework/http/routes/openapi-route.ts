import type { FastifyInstance } from "fastify";
import { buildOpenApiDocument, type OpenApiDocument } from "../openapi/openapi-document";
import type { RouteCatalog } from "../openapi/route-catalog";
import { errorResponses, noQuerySchema } from "../schemas/common-schemas";

/** `/api/v1/openapi.json`: the document of every route, built once on first request (all routes are known by then). */
export async function openApiRoute(app: FastifyInstance, options: { catalog: RouteCatalog; version: string; tables?: () => Record<string, Record<string, string>> }): Promise<void> {
  let document: OpenApiDocument | undefined;
  app.get(
    "/api/v1/openapi.json",
    {
      config: { scope: "public" },
      schema: {
        summary: "This OpenAPI document, generated from the route schemas",
        tags: ["meta"],
        querystring: noQuerySchema,
        response: { 200: { type: "object", additionalProperties: true }, ...errorResponses },
      },
    },
    async () => {
      document ??= buildOpenApiDocument(options.catalog.list(), options.version, options.tables?.());
      return document;
    },
  );
}
