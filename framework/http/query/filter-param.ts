import { err, ok, Result } from "neverthrow";
import type { EntityMetadata } from "typeorm";
import type { FilterNode } from "../../crud/crud-types";
import { MAX_FILTER_DEPTH } from "../../crud/crud-types";
import { apiError, type ApiError } from "../errors/api-error";
import { sensitiveOf } from "../sensitive/hide-sensitive";

/** The `filter` query parameter: bracketed (`filter[or][0][status][eq]=a`) or JSON text (`filter={"or":[…]}`). */
export type FilterParameter = string | Readonly<Record<string, unknown>>;

const GROUPS = new Set(["and", "or", "not"]);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function invalid(message: string, details: Record<string, unknown> = {}): ApiError {
  return apiError("INVALID_FILTER", message, "core.http", details);
}

/** Refuses filters on sensitive columns, of this table or of a related one (`author.secret`). */
function checkSensitive(metadata: EntityMetadata, column: string): ApiError | undefined {
  const [head, rest] = column.split(".", 2);
  const relation = rest === undefined ? undefined : metadata.relations.find((candidate) => candidate.propertyName === head);
  const sensitive = relation === undefined ? sensitiveOf(metadata).has(column) : sensitiveOf(relation.inverseEntityMetadata).has(rest as string);
  return sensitive ? invalid(`Column '${column}' is sensitive and cannot be filtered on.`, { column, reason: "sensitive_column" }) : undefined;
}

/**
 * Converts one object of the REST filter syntax into nodes: group keys (`and`, `or` with a list
 * or an object of indexes, `not` with an object), a CrudService filter (`{column, op, value,
 * path}`), or `column: { operator: value }` entries, AND-ed.
 */
function convertObject(metadata: EntityMetadata, value: unknown, depth: number): Result<FilterNode[], ApiError> {
  if (depth > MAX_FILTER_DEPTH + 1) {
    return err(apiError("VALIDATION_FAILED", `The filter nests deeper than ${MAX_FILTER_DEPTH} levels.`, "core.http", { reason: "filter_too_deep", max_depth: MAX_FILTER_DEPTH }));
  }
  if (!isObject(value)) return err(invalid("Filters are written filter[column][operator]=value (or filter=<JSON>)."));
  if (typeof value.column === "string") {
    const problem = checkSensitive(metadata, value.column);
    return problem === undefined ? ok([value as unknown as FilterNode]) : err(problem);
  }
  const nodes: FilterNode[] = [];
  for (const [key, inner] of Object.entries(value)) {
    if (GROUPS.has(key)) {
      const group = convertGroup(metadata, key as "and" | "or" | "not", inner, depth);
      if (group.isErr()) return err(group.error);
      nodes.push(group.value);
      continue;
    }
    const problem = checkSensitive(metadata, key);
    if (problem !== undefined) return err(problem);
    if (!isObject(inner) || Object.keys(inner).length === 0) return err(invalid(`Filter on '${key}' needs an operator: filter[${key}][eq]=value.`, { column: key }));
    for (const [op, operand] of Object.entries(inner)) nodes.push({ column: key, op: op as never, value: operand });
  }
  return ok(nodes);
}

function single(nodes: FilterNode[]): FilterNode {
  return nodes.length === 1 ? (nodes[0] as FilterNode) : { and: nodes };
}

function convertGroup(metadata: EntityMetadata, kind: "and" | "or" | "not", inner: unknown, depth: number): Result<FilterNode, ApiError> {
  if (kind === "not") return convertObject(metadata, inner, depth + 1).map((nodes) => ({ not: single(nodes) }));
  // Brackets give `{ "0": …, "1": … }`; JSON gives an array.
  const items = Array.isArray(inner)
    ? inner
    : isObject(inner) && Object.keys(inner).every((index) => /^\d{1,4}$/.test(index))
      ? Object.keys(inner)
          .sort((a, b) => Number(a) - Number(b))
          .map((index) => inner[index])
      : undefined;
  if (items === undefined || items.length === 0) return err(invalid(`'${kind}' takes a list of conditions: filter[${kind}][0][column][eq]=value.`));
  return Result.combine(items.map((item) => convertObject(metadata, item, depth + 1).map(single))).map((children) => (kind === "and" ? { and: children } : { or: children }));
}

/** The `filter` parameter as CrudService filter nodes (AND-ed); sensitive columns refused. */
export function parseFilterParameter(metadata: EntityMetadata, parameter: FilterParameter | undefined): Result<FilterNode[], ApiError> {
  if (parameter === undefined) return ok([]);
  if (typeof parameter !== "string") return convertObject(metadata, parameter, 1);
  let parsed: unknown;
  try {
    parsed = JSON.parse(parameter);
  } catch {
    return err(invalid("filter= takes JSON, for example filter={\"or\":[{\"status\":{\"eq\":\"a\"}},{\"priority\":{\"lt\":3}}]}."));
  }
  if (Array.isArray(parsed)) return Result.combine(parsed.map((item) => convertObject(metadata, item, 1).map(single)));
  return convertObject(metadata, parsed, 1);
}
