import { recordSchema } from "./common-schemas";

type JsonSchema = Record<string, unknown>;

/**
 * `{ success, database, table, record }`: the body of every one-record answer. `record` is the
 * generic record schema for the route catalog, or a table's own record schema (OpenAPI document,
 * per-table serialisers) — one shape, built in one place.
 */
export function oneRecordResponse(record: JsonSchema = recordSchema): JsonSchema {
  return {
    type: "object",
    required: ["success", "record"],
    properties: { success: { type: "boolean" }, database: { type: "string" }, table: { type: "string" }, record },
  };
}

/** The table page body, with `record` as the schema of every item (see {@link oneRecordResponse}). */
export function tablePageResponse(record: JsonSchema = recordSchema): JsonSchema {
  return {
    type: "object",
    required: ["success", "records"],
    properties: {
      success: { type: "boolean" },
      database: { type: "string" },
      table: { type: "string" },
      page: { type: "integer" },
      page_size: { type: "integer" },
      total_records: { type: ["integer", "null"], description: "Null with count=none." },
      total_pages: { type: ["integer", "null"] },
      next_cursor: { type: ["string", "null"], description: "Pass as cursor= for the rows after this page; null on the last page." },
      records: { type: "array", items: record },
    },
  };
}
