import { err, ok, Result } from "neverthrow";
import type { DataSource, EntityMetadata } from "typeorm";
import { dbError, type DbError } from "../errors/db-error";
import { columnKind } from "./column-kind";
import { coerceValue } from "./coerce-value";
import { findColumn } from "./column-lookup";
import { FILTER_OPERATORS, type Filter } from "./crud-types";
import { quoteIdentifier } from "./sql-identifier";

/** A WHERE clause with its bound parameters. */
export interface WhereClause {
  readonly sql: string;
  readonly parameters: unknown[];
}

const COMPARISON: Record<string, string> = { eq: "=", ne: "<>", gt: ">", gte: ">=", lt: "<", lte: "<=" };
const MAX_LIST_VALUES = 500;

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

function buildCondition(dataSource: DataSource, metadata: EntityMetadata, filter: Filter, database: string): Result<WhereClause, DbError> {
  const invalid = (message: string) => err(dbError("INVALID_FILTER", message, database, { column: filter.column, op: filter.op }));
  if (typeof filter.column !== "string") return invalid("A filter needs a column name.");
  if (!(FILTER_OPERATORS as readonly string[]).includes(filter.op)) {
    return invalid(`Unknown filter operator '${String(filter.op)}'; use one of ${FILTER_OPERATORS.join(", ")}.`);
  }
  return findColumn(metadata, filter.column, database).andThen((column): Result<WhereClause, DbError> => {
    const name = quoteIdentifier(column.databaseName);
    const persist = (value: unknown) => dataSource.driver.preparePersistentValue(value, column) as unknown;
    const coerce = (value: unknown) =>
      coerceValue(column, value, "filter").mapErr((reason) =>
        dbError("INVALID_FILTER", `Invalid value for filter ${filter.column} ${filter.op}: ${reason}.`, database, { column: filter.column, op: filter.op }),
      );
    const kind = columnKind(column);

    if (filter.op === "isnull") {
      const wanted = filter.value === undefined ? true : parseFlag(filter.value);
      if (wanted === undefined) return invalid(`isnull takes true or false, got ${JSON.stringify(filter.value)}.`);
      return ok({ sql: `${name} IS ${wanted ? "" : "NOT "}NULL`, parameters: [] });
    }
    if (filter.op === "in" || filter.op === "nin") {
      const values = listValues(filter.value);
      if (values === undefined || values.length === 0) return invalid(`${filter.op} takes a non-empty list of values.`);
      if (values.length > MAX_LIST_VALUES) return invalid(`${filter.op} takes at most ${MAX_LIST_VALUES} values.`);
      return Result.combine(values.map(coerce)).map((coerced) => ({
        sql: `${name} ${filter.op === "in" ? "IN" : "NOT IN"} (${coerced.map(() => "?").join(", ")})`,
        parameters: coerced.map(persist),
      }));
    }
    if (filter.op === "like") {
      if (kind !== "string") return invalid(`like works on text columns; '${filter.column}' is ${kind}.`);
      if (typeof filter.value !== "string") return invalid("like takes a text pattern.");
      return ok({ sql: `${name} LIKE ? ESCAPE '\\'`, parameters: [filter.value] });
    }
    if (kind === "json" || (kind === "boolean" && filter.op !== "eq" && filter.op !== "ne")) {
      return invalid(`Operator ${filter.op} does not apply to the ${kind} column '${filter.column}'.`);
    }
    if (filter.value === null) return invalid(`Use isnull to compare with null.`);
    return coerce(filter.value).map((value) => ({ sql: `${name} ${COMPARISON[filter.op]} ?`, parameters: [persist(value)] }));
  });
}

/**
 * Turns filters into one parameterised WHERE clause. Column names are used only after they are
 * found in the entity metadata; every value is a bound parameter.
 */
export function buildWhere(dataSource: DataSource, metadata: EntityMetadata, filters: readonly Filter[] | undefined, database: string): Result<WhereClause, DbError> {
  if (filters === undefined || filters.length === 0) return ok({ sql: "", parameters: [] });
  if (!Array.isArray(filters)) return err(dbError("INVALID_FILTER", "filters must be an array.", database));
  return Result.combine(filters.map((filter) => buildCondition(dataSource, metadata, filter, database))).map((conditions) => ({
    sql: ` WHERE ${conditions.map((condition) => condition.sql).join(" AND ")}`,
    parameters: conditions.flatMap((condition) => condition.parameters),
  }));
}
