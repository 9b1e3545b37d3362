import { API_ERROR_CODES } from "../errors/api-error";

/** The JSON schema of every error response. */
export const errorResponseSchema = {
  type: "object",
  required: ["error"],
  properties: {
    error: {
      type: "object",
      required: ["code", "message", "module", "details"],
      properties: {
        code: { type: "string", enum: [...API_ERROR_CODES] },
        message: { type: "string" },
        module: { type: "string", description: "The component that raised the error, e.g. core.database." },
        details: { type: "object", additionalProperties: true },
      },
    },
  },
} as const;

/** Response schemas for 4xx and 5xx, shared by every route. */
export const errorResponses = { "4xx": errorResponseSchema, "5xx": errorResponseSchema } as const;

/** A record: column values keyed by database column name (sensitive columns never included). */
export const recordSchema = { type: "object", additionalProperties: true, description: "Column values keyed by column name." } as const;

/** `:database` path parameter. */
export const databaseParamsSchema = {
  type: "object",
  required: ["database"],
  additionalProperties: false,
  properties: { database: { type: "string", minLength: 1, maxLength: 128, description: "A DATABASE_NAME, e.g. ciap." } },
} as const;

/** `:database/tables/:table` path parameters. */
export const tableParamsSchema = {
  type: "object",
  required: ["database", "table"],
  additionalProperties: false,
  properties: {
    database: databaseParamsSchema.properties.database,
    table: { type: "string", minLength: 1, maxLength: 128, description: "A table name." },
  },
} as const;

/** `:database/tables/:table/records/:id` path parameters. */
export const recordParamsSchema = {
  type: "object",
  required: ["database", "table", "id"],
  additionalProperties: false,
  properties: {
    ...tableParamsSchema.properties,
    id: { type: "string", minLength: 1, maxLength: 512, description: "The primary key; for a composite key its values in key order, comma-separated." },
  },
} as const;

/** An empty query string (routes without query parameters still reject unknown ones). */
export const noQuerySchema = { type: "object", additionalProperties: false, properties: {} } as const;

/** A list of names (tables, columns, migrations, problems). */
export const stringArray = { type: "array", items: { type: "string" } } as const;
