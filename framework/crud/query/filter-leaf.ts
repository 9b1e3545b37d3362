import { err, ok, Result } from "neverthrow";
import type { DataSource, EntityMetadata } from "typeorm";
import type { ColumnMetadata } from "typeorm/metadata/ColumnMetadata";
import { dbError, type DbError } from "../../errors/db-error";
import { columnKind } from "../column-kind";
import { coerceValue } from "../coerce-value";
import { findColumn } from "../column-lookup";
import { FILTER_OPERATORS, type Filter } from "../crud-types";
import { quoteIdentifier } from "../sql-identifier";
import type { JsonScalarKind, SqlDialect } from "../../engines/sql-dialect";
import type { ParameterBag } from "./sql-fragment";

/** What compiling one filter needs. */
export interface FilterContext {
  readonly dataSource: DataSource;
  readonly metadata: EntityMetadata;
  readonly database: string;
  readonly dialect: SqlDialect;
  readonly bag: ParameterBag;
}

const COMPARISON: Record<string, string> = { eq: "=", ne: "<>", gt: ">", gte: ">=", lt: "<", lte: "<=" };
const MAX_LIST_VALUES = 500;
const MAX_PATH_SEGMENTS = 8;
const PATH_KEY = /^[A-Za-z0-9_\- $@]{1,64}$/;

function parseFlag(value: unknown): boolean | undefined {
  if (value === true || value === "true" || value === 1 || value === "1") return true;
  if (value === false || value === "false" || value === 0 || value === "0") return false;
  return undefined;
}

function listValues(value: unknown): unknown[] | undefined {
  if (Array.isArray(value)) return value;
  if (typeof value === "string") return value.split(",").map((item) => item.trim());
  return undefined;
}

/** A JSON scalar as it may be compared inside a JSON document. */
function isScalar(value: unknown): value is string | number | boolean {
  return typeof value === "string" || (typeof value === "number" && Number.isFinite(value)) || typeof value === "boolean";
}

/**
 * What a filter compares a JSON path with: one kind when every value has it, else text (so an
 * engine with typed JSON documents compares like with like, as SQLite's json_extract does).
 */
function pathKind(op: string, value: unknown): JsonScalarKind | undefined {
  if (op === "isnull") return undefined;
  if (op === "like" || op === "ilike" || op === "contains" || op === "starts_with" || op === "ends_with") return "text";
  const values = op === "in" || op === "nin" || op === "between" ? (listValues(value) ?? []) : [value];
  const kinds = new Set(values.map((item) => (typeof item === "number" ? "number" : typeof item === "boolean" ? "boolean" : "text")));
  return kinds.size === 1 ? ([...kinds][0] as JsonScalarKind) : undefined;
}

/** `a.b` filters go to the related table; only a relation with a single join column on this side. */
function relatedColumn(context: FilterContext, name: string): Result<{ outer: string; inner: FilterContext; column: string }, DbError> {
  const [relationName, columnName] = name.split(".", 2) as [string, string];
  const relation = context.metadata.relations.find((candidate) => candidate.propertyName === relationName);
  const refuse = (message: string) => err(dbError("INVALID_FILTER", message, context.database, { column: name, table_name: context.metadata.tableName }));
  if (relation === undefined) return findColumn(context.metadata, name, context.database).map(() => ({ outer: "", inner: context, column: name }));
  if (!(relation.isManyToOne || relation.isOneToOneOwner) || relation.joinColumns.length !== 1) {
    return refuse(`Filtering on '${name}' needs a ManyToOne (or owning OneToOne) relation with one join column; '${relationName}' is ${relation.relationType}.`);
  }
  const join = relation.joinColumns[0] as ColumnMetadata;
  const referenced = join.referencedColumn;
  if (referenced === undefined) return refuse(`Relation '${relationName}' has no referenced column.`);
  const target = relation.inverseEntityMetadata;
  return ok({
    outer: `${quoteIdentifier(join.databaseName)} IN (SELECT ${quoteIdentifier(referenced.databaseName)} FROM ${quoteIdentifier(target.tableName)} WHERE %s)`,
    inner: { ...context, metadata: target },
    column: columnName,
  });
}

function compileOnColumn(context: FilterContext, filter: Filter, column: ColumnMetadata): Result<string, DbError> {
  const { database, dialect, bag } = context;
  const label = filter.column;
  const invalid = (message: string) => err(dbError("INVALID_FILTER", message, database, { column: label, op: filter.op }));
  const kind = columnKind(column);
  const hasPath = filter.path !== undefined;
  let expression = quoteIdentifier(column.databaseName);
  if (hasPath) {
    const path = filter.path;
    if (kind !== "json" || String(column.type) === "simple-array") return invalid(`A path applies to JSON columns; '${label}' is ${kind}.`);
    if (!Array.isArray(path) || path.length === 0 || path.length > MAX_PATH_SEGMENTS) return invalid(`path takes 1 to ${MAX_PATH_SEGMENTS} keys.`);
    const bad = path.find((segment) => !(typeof segment === "number" ? Number.isSafeInteger(segment) && segment >= 0 : typeof segment === "string" && PATH_KEY.test(segment)));
    if (bad !== undefined) return invalid(`path key ${JSON.stringify(bad)} is not usable: keys are 1–64 letters, digits, spaces or _-$@, indexes whole numbers.`);
    expression = dialect.jsonPath(expression, path as (string | number)[], bag, pathKind(filter.op, filter.value));
  }
  const persist = (value: unknown) => (hasPath ? value : (context.dataSource.driver.preparePersistentValue(value, column) as unknown));
  const coerce = (value: unknown): Result<unknown, DbError> => {
    if (hasPath) return isScalar(value) ? ok(value) : invalid(`A JSON path compares with text, numbers or booleans, got ${JSON.stringify(value)}.`);
    return coerceValue(column, value, "filter").mapErr((reason) => dbError("INVALID_FILTER", `Invalid value for filter ${label} ${filter.op}: ${reason}.`, database, { column: label, op: filter.op }));
  };
  const textual = hasPath || kind === "string";

  switch (filter.op) {
    case "isnull": {
      const wanted = filter.value === undefined ? true : parseFlag(filter.value);
      if (wanted === undefined) return invalid(`isnull takes true or false, got ${JSON.stringify(filter.value)}.`);
      return ok(`${expression} IS ${wanted ? "" : "NOT "}NULL`);
    }
    case "in":
    case "nin": {
      const values = listValues(filter.value);
      if (values === undefined || values.length === 0) return invalid(`${filter.op} takes a non-empty list of values.`);
      if (values.length > MAX_LIST_VALUES) return invalid(`${filter.op} takes at most ${MAX_LIST_VALUES} values.`);
      return Result.combine(values.map(coerce)).map((coerced) => `${expression} ${filter.op === "in" ? "IN" : "NOT IN"} (${coerced.map((value) => bag.bind(persist(value))).join(", ")})`);
    }
    case "between": {
      const values = listValues(filter.value);
      if (values === undefined || values.length !== 2) return invalid("between takes two values: [low, high] (or 'low,high').");
      if (!hasPath && (kind === "json" || kind === "boolean")) return invalid(`between does not apply to the ${kind} column '${label}'.`);
      return Result.combine(values.map(coerce)).map(([low, high]) => `${expression} BETWEEN ${bag.bind(persist(low))} AND ${bag.bind(persist(high))}`);
    }
    case "like":
    case "ilike":
    case "contains":
    case "starts_with":
    case "ends_with": {
      if (!textual) return invalid(`${filter.op} works on text columns; '${label}' is ${kind}.`);
      if (typeof filter.value !== "string" || filter.value === "") return invalid(`${filter.op} takes non-empty text.`);
      if (filter.op === "like") return ok(`${expression} LIKE ${bag.bind(filter.value)} ESCAPE '\\'`);
      if (filter.op === "ilike") return ok(dialect.ilike(expression, filter.value, bag));
      if (filter.op === "contains") return ok(dialect.contains(expression, filter.value, bag));
      return ok(filter.op === "starts_with" ? dialect.startsWith(expression, filter.value, bag) : dialect.endsWith(expression, filter.value, bag));
    }
    case "has": {
      if (hasPath || kind !== "json") return invalid(`has works on JSON array columns; '${label}' is ${hasPath ? "a JSON path" : kind}.`);
      if (!isScalar(filter.value)) return invalid("has takes one text, number or boolean element.");
      if (String(column.type) === "simple-array") return ok(dialect.listHas(expression, String(filter.value), bag));
      return ok(dialect.jsonArrayHas(expression, filter.value, bag));
    }
    default: {
      if (!hasPath && (kind === "json" || (kind === "boolean" && filter.op !== "eq" && filter.op !== "ne"))) {
        return invalid(`Operator ${filter.op} does not apply to the ${kind} column '${label}'.`);
      }
      if (filter.value === null) return invalid("Use isnull to compare with null.");
      return coerce(filter.value).map((value) => `${expression} ${COMPARISON[filter.op] as string} ${bag.bind(persist(value))}`);
    }
  }
}

/** Compiles one filter into a condition, its values bound in the context's bag. */
export function compileFilter(context: FilterContext, filter: Filter): Result<string, DbError> {
  const invalid = (message: string) => err(dbError("INVALID_FILTER", message, context.database, { column: filter.column, op: filter.op }));
  if (typeof filter.column !== "string" || filter.column === "") return invalid("A filter needs a column name.");
  if (!(FILTER_OPERATORS as readonly string[]).includes(filter.op)) return invalid(`Unknown filter operator '${String(filter.op)}'; use one of ${FILTER_OPERATORS.join(", ")}.`);
  return relatedColumn(context, filter.column).andThen(({ outer, inner, column }) =>
    findColumn(inner.metadata, column, context.database)
      .andThen((metadata) => compileOnColumn(inner, filter, metadata))
      .map((condition) => (outer === "" ? condition : outer.replace("%s", () => condition))),
  );
}
