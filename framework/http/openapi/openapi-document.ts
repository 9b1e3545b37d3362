import type { CatalogedRoute } from "./route-catalog";

/** A JSON schema as the route definitions write it. */
type JsonSchema = Readonly<Record<string, unknown>>;

/** The parts of an OpenAPI 3.1 document this generator produces. */
export interface OpenApiDocument {
  readonly openapi: "3.1.0";
  readonly info: { title: string; version: string; description: string };
  readonly paths: Record<string, Record<string, unknown>>;
  readonly components: { securitySchemes: Record<string, unknown>; schemas?: Record<string, unknown> };
  /** The tables the generic records routes serve, per database, with their access level (hidden tables never appear). */
  readonly "x-moduledb-tables"?: Record<string, Record<string, string>>;
}

function asSchema(value: unknown): JsonSchema | undefined {
  return typeof value === "object" && value !== null ? (value as JsonSchema) : undefined;
}

function propertiesOf(schema: JsonSchema | undefined): [string, JsonSchema][] {
  const properties = asSchema(schema?.properties) ?? {};
  return Object.entries(properties).map(([name, value]) => [name, asSchema(value) ?? {}]);
}

/** Path, query and header parameters of a route, from its `params`, `querystring` and `headers` schemas. */
function parameters(route: CatalogedRoute): unknown[] {
  const required = (schema: JsonSchema | undefined) => new Set(Array.isArray(schema?.required) ? (schema.required as string[]) : []);
  const params = asSchema(route.schema.params);
  const query = asSchema(route.schema.querystring);
  const pathParameters = propertiesOf(params).map(([name, schema]) => ({ name, in: "path", required: true, description: schema.description, schema }));
  const queryRequired = required(query);
  const queryParameters = propertiesOf(query).map(([name, schema]) => ({
    name,
    in: "query",
    required: queryRequired.has(name),
    description: schema.description,
    schema,
    // Bracketed groups such as filter[status][eq]=active.
    ...(schema.type === "object" || (Array.isArray(schema.anyOf) && schema.anyOf.some((option) => asSchema(option)?.type === "object")) ? { style: "deepObject", explode: true } : {}),
  }));
  const headers = asSchema(route.schema.headers);
  const headersRequired = required(headers);
  const headerParameters = propertiesOf(headers).map(([name, schema]) => ({ name, in: "header", required: headersRequired.has(name), description: schema.description, schema }));
  return [...pathParameters, ...queryParameters, ...headerParameters];
}

/** `4xx` → `4XX`, which is how OpenAPI spells status ranges. */
function responseKey(status: string): string {
  return /^\dxx$/i.test(status) ? status.toUpperCase() : status;
}

function responses(route: CatalogedRoute): Record<string, unknown> {
  const byStatus = asSchema(route.schema.response) ?? {};
  return Object.fromEntries(
    Object.entries(byStatus).map(([status, schema]) => [
      responseKey(status),
      { description: status.startsWith("2") ? "Success" : "Error: { error: { code, message, module, details } }", content: { "application/json": { schema } } },
    ]),
  );
}

function operation(route: CatalogedRoute): Record<string, unknown> {
  const body = asSchema(route.schema.body);
  return {
    summary: route.schema.summary,
    tags: route.schema.tags,
    operationId: `${route.method}${route.url.replace(/[^A-Za-z0-9]+(.)?/g, (_match, next: string | undefined) => (next ?? "").toUpperCase())}`,
    parameters: parameters(route),
    ...(body === undefined ? {} : { requestBody: { required: true, content: { "application/json": { schema: body } } } }),
    responses: responses(route),
    ...(route.schema.security === undefined ? {} : { security: route.schema.security }),
    // The scope a token needs once tokens are configured (docs/routes.md).
    "x-required-scope": route.scope,
  };
}

/**
 * Builds the OpenAPI 3.1 document of the API from the routes' own JSON schemas (OpenAPI 3.1
 * schemas are JSON Schema, so they are used as they are). `:param` becomes `{param}`.
 */
export function buildOpenApiDocument(routes: readonly CatalogedRoute[], version: string, tables?: Record<string, Record<string, string>>): OpenApiDocument {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = route.url.replace(/:([A-Za-z0-9_]+)/g, "{$1}");
    paths[path] = { ...(paths[path] ?? {}), [route.method]: operation(route) };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "moduledb REST API",
      version,
      description: "Database management and records for every module database. Once API_TOKEN or API_TOKENS_FILE is configured every route but the probes and this document needs Authorization: Bearer <token> with the scope the route names (reads are open again with API_PUBLIC_READ=true); without tokens the server answers loopback Host names only.",
    },
    paths,
    components: { securitySchemes: { bearerAuth: { type: "http", scheme: "bearer", description: "The API_TOKEN the server was started with." } } },
    ...(tables === undefined ? {} : { "x-moduledb-tables": tables }),
  };
}
