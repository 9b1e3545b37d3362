import { err, ok, Result } from "neverthrow";
import type { DataSource, EntityMetadata } from "typeorm";
import { dbError, type DbError } from "../../errors/db-error";
import { MAX_FILTER_DEPTH, MAX_FILTER_NODES, type Filter, type FilterNode } from "../crud-types";
import { compileFilter, type FilterContext } from "./filter-leaf";
import { dialectOf } from "../../engines/sql-dialect";
import type { ParameterBag } from "./sql-fragment";

type Shape = { kind: "and" | "or"; children: readonly unknown[] } | { kind: "not"; child: unknown } | { kind: "filter"; filter: Filter } | { kind: "invalid"; reason: string };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Which kind of node `value` is; a group has exactly one key (and, or, not). */
function shapeOf(value: unknown): Shape {
  if (!isObject(value)) return { kind: "invalid", reason: "a filter node must be an object" };
  const keys = Object.keys(value);
  const group = keys.find((key) => key === "and" || key === "or" || key === "not");
  if (group !== undefined) {
    if (keys.length !== 1) return { kind: "invalid", reason: `a '${group}' group has no other keys (found ${keys.join(", ")})` };
    if (group === "not") return { kind: "not", child: value.not };
    const children = value[group];
    if (!Array.isArray(children) || children.length === 0) return { kind: "invalid", reason: `'${group}' takes a non-empty array of nodes` };
    return { kind: group, children };
  }
  return { kind: "filter", filter: value as unknown as Filter };
}

function tooLarge(database: string, message: string, details: Record<string, unknown>): DbError {
  return dbError("VALIDATION_FAILED", message, database, { ...details, max_depth: MAX_FILTER_DEPTH, max_nodes: MAX_FILTER_NODES });
}

/**
 * Checks the size of a filter tree before anything is compiled: at most {@link MAX_FILTER_DEPTH}
 * levels and {@link MAX_FILTER_NODES} nodes. The walk stops at the first excess, so a hostile
 * tree (100 levels, 10 000 nodes) costs no more than the limits themselves.
 */
export function checkFilterSize(nodes: readonly unknown[], database: string): Result<void, DbError> {
  let count = 0;
  const visit = (node: unknown, depth: number): DbError | undefined => {
    count += 1;
    if (count > MAX_FILTER_NODES) return tooLarge(database, `The filter has more than ${MAX_FILTER_NODES} nodes.`, { reason: "filter_too_large" });
    if (depth > MAX_FILTER_DEPTH) return tooLarge(database, `The filter nests deeper than ${MAX_FILTER_DEPTH} levels.`, { reason: "filter_too_deep" });
    const shape = shapeOf(node);
    if (shape.kind === "not") return visit(shape.child, depth + 1);
    if (shape.kind === "and" || shape.kind === "or") {
      for (const child of shape.children) {
        const problem = visit(child, depth + 1);
        if (problem !== undefined) return problem;
      }
    }
    return undefined;
  };
  for (const node of nodes) {
    const problem = visit(node, 1);
    if (problem !== undefined) return err(problem);
  }
  return ok(undefined);
}

function compileNode(context: FilterContext, node: unknown): Result<string, DbError> {
  const shape = shapeOf(node);
  switch (shape.kind) {
    case "invalid":
      return err(dbError("INVALID_FILTER", `Invalid filter: ${shape.reason}.`, context.database, {}));
    case "filter":
      return compileFilter(context, shape.filter);
    case "not":
      // Two-valued: `not X` holds exactly where X does not (a NULL comparison counts as not holding).
      return compileNode(context, shape.child).map((condition) => `(${condition}) IS NOT TRUE`);
    default:
      return Result.combine(shape.children.map((child) => compileNode(context, child))).map((conditions) =>
        conditions.length === 1 ? (conditions[0] as string) : conditions.map((condition) => `(${condition})`).join(shape.kind === "and" ? " AND " : " OR "),
      );
  }
}

/**
 * Compiles filter nodes (AND-ed) into one condition with named parameters, "" when there are
 * none. Column names reach SQL only after they match entity metadata; values are always bound.
 */
export function compileFilters(dataSource: DataSource, metadata: EntityMetadata, filters: readonly FilterNode[] | undefined, database: string, bag: ParameterBag): Result<string, DbError> {
  if (filters === undefined) return ok("");
  if (!Array.isArray(filters)) return err(dbError("INVALID_FILTER", "filters must be an array of filter nodes.", database));
  if (filters.length === 0) return ok("");
  return checkFilterSize(filters, database).andThen(() =>
    compileNode({ dataSource, metadata, database, dialect: dialectOf(dataSource), bag }, { and: filters }),
  );
}
