import type { EntityMetadata } from "typeorm";
import type { ColumnMetadata } from "typeorm/metadata/ColumnMetadata";
import { columnKind } from "../../crud/column-kind";
import { tableColumns } from "../../crud/column-lookup";
import { declaredLength } from "../../crud/declared-length";
import type { AccessLevel } from "../../access/access-policy";
import type { DatabaseRegistry } from "../../database/database-registry";
import { oneRecordResponse, tablePageResponse } from "../schemas/record-responses";
import { sensitiveOf } from "../sensitive/hide-sensitive";

type JsonSchema = Record<string, unknown>;

function isFilledByDatabase(column: ColumnMetadata): boolean {
  return column.isNullable || column.default !== undefined || column.isGenerated || column.isCreateDate || column.isUpdateDate || column.isDeleteDate || column.isVersion || column.generationStrategy !== undefined;
}

function isReadOnly(column: ColumnMetadata): boolean {
  return column.isGenerated || column.isCreateDate || column.isUpdateDate || column.isDeleteDate || column.isVersion;
}

/** The JSON schema of one column's values, from its metadata (type, nullability, length, enum, default, read-only). */
export function columnJsonSchema(column: ColumnMetadata): JsonSchema {
  const declared = columnKind(column);
  // A generated key declared as a plain `number` property is still a whole number.
  const kind = declared === "number" && (column.generationStrategy === "increment" || column.generationStrategy === "rowid") ? "integer" : declared;
  const base: JsonSchema =
    kind === "integer"
      ? { type: "integer" }
      : kind === "number"
        ? { type: "number" }
        : kind === "boolean"
          ? { type: "boolean" }
          : kind === "date"
            ? { type: "string", format: "date-time" }
            : kind === "json"
              ? String(column.type) === "simple-array"
                ? { type: "array", items: { type: "string" } }
                : {}
              : { type: "string" };
  const schema: JsonSchema = { ...base };
  const length = declaredLength(column);
  if (length !== undefined) schema.maxLength = length;
  if (column.enum !== undefined) schema.enum = column.enum.map((value) => value);
  if (column.isNullable && typeof schema.type === "string") schema.type = [schema.type, "null"];
  if (column.isNullable && schema.enum !== undefined) (schema.enum as unknown[]).push(null);
  if (column.default !== undefined && typeof column.default !== "function") schema.default = column.default;
  if (isReadOnly(column)) schema.readOnly = true;
  if (column.comment !== undefined && column.comment !== "") schema.description = column.comment;
  return schema;
}

/** Per-table schemas: the record as returned (sensitive columns left out), and the bodies of create and update. */
export interface TableSchemas {
  readonly record: JsonSchema;
  readonly create: JsonSchema;
  readonly update: JsonSchema;
}

/** Builds a table's {@link TableSchemas} from its entity metadata. */
export function tableSchemas(metadata: EntityMetadata): TableSchemas {
  const sensitive = sensitiveOf(metadata);
  const columns = tableColumns(metadata);
  const visible = columns.filter((column) => !sensitive.has(column.databaseName));
  const properties = (list: ColumnMetadata[]) => Object.fromEntries(list.map((column) => [column.databaseName, columnJsonSchema(column)]));
  const writable = columns.filter((column) => !(column.isCreateDate || column.isUpdateDate || column.isDeleteDate || column.isVersion));
  return {
    record: { type: "object", properties: properties(visible), required: visible.map((column) => column.databaseName), additionalProperties: true },
    create: { type: "object", properties: properties(writable), required: writable.filter((column) => !isFilledByDatabase(column)).map((column) => column.databaseName), additionalProperties: false },
    update: { type: "object", properties: properties(writable.filter((column) => !column.isPrimary)), minProperties: 1, additionalProperties: false },
  };
}

/** `ciap` + `search_results` → `CiapSearchResults`: a component name per table. */
function componentName(database: string, table: string): string {
  return `${database}_${table}`.replace(/(^|[^A-Za-z0-9]+)([A-Za-z0-9])/g, (_match, _separator: string, letter: string) => letter.toUpperCase());
}

const errorRef = { $ref: "#/components/schemas/Error" };
const json = (schema: JsonSchema) => ({ "application/json": { schema } });

/**
 * OpenAPI paths and component schemas for every table of every open database: the concrete
 * `…/databases/ciap/tables/searches/records` paths carry the table's own record, create and
 * update schemas, so clients generated from the document know each table's columns.
 */
export function tableDocument(registry: DatabaseRegistry, errorSchema: JsonSchema, accessOf: (database: string, table: string) => AccessLevel = () => "read-write"): { paths: Record<string, Record<string, unknown>>; schemas: Record<string, unknown> } {
  const paths: Record<string, Record<string, unknown>> = {};
  const schemas: Record<string, unknown> = { Error: errorSchema };
  for (const db of registry.open()) {
    for (const metadata of db.tableMetadatas()) {
      // Hidden tables are not in the document at all; read tables have no writing operations.
      const access = accessOf(db.name, metadata.tableName);
      if (access === "hidden") continue;
      const name = componentName(db.name, metadata.tableName);
      const built = tableSchemas(metadata);
      schemas[name] = built.record;
      schemas[`${name}Create`] = built.create;
      schemas[`${name}Update`] = built.update;
      const ref = (suffix = "") => ({ $ref: `#/components/schemas/${name}${suffix}` });
      const one = oneRecordResponse(ref());
      const errors = { "4XX": { description: "Error", content: json(errorRef) }, "5XX": { description: "Error", content: json(errorRef) } };
      const base = `/api/v1/db/databases/${db.name}/tables/${metadata.tableName}`;
      const idParameter = [{ name: "id", in: "path", required: true, schema: { type: "string" } }];
      if (access === "read-write") paths[`${base}/records`] = {
        post: { operationId: `create${name}`, summary: `Create a ${metadata.tableName} record`, tags: ["tables"], requestBody: { required: true, content: json(ref("Create")) }, responses: { 201: { description: "Created", content: json(one) }, ...errors } },
      };
      paths[`${base}/records/{id}`] = {
        get: { operationId: `get${name}`, summary: `One ${metadata.tableName} record`, tags: ["tables"], parameters: idParameter, responses: { 200: { description: "Success", content: json(one) }, ...errors } },
        ...(access === "read-write"
          ? { patch: { operationId: `update${name}`, summary: `Change a ${metadata.tableName} record`, tags: ["tables"], parameters: idParameter, requestBody: { required: true, content: json(ref("Update")) }, responses: { 200: { description: "Success", content: json(one) }, ...errors } } }
          : {}),
      };
      paths[base] = {
        get: {
          operationId: `list${name}`,
          summary: `A page of ${metadata.tableName}`,
          tags: ["tables"],
          responses: {
            200: { description: "Success", content: json(tablePageResponse(ref())) },
            ...errors,
          },
        },
      };
    }
  }
  return { paths, schemas };
}
