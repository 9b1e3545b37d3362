import { err, ok, Result } from "neverthrow";
import type { EntityManager } from "typeorm";
import type { ColumnMetadata } from "typeorm/metadata/ColumnMetadata";
import { dbError, DbErrorException, type DbError } from "../../errors/db-error";
import { columnKind } from "../column-kind";
import { findColumn } from "../column-lookup";
import type { FilterNode } from "../crud-types";
import { quoteIdentifier } from "../sql-identifier";
import { compileFilters } from "./filter-tree";
import { ParameterBag, runQuery, whereClause } from "./sql-fragment";
import { liveRowsCondition, type TableTarget } from "./table-target";

/** What `CrudService.aggregate` takes. */
export interface AggregateQuery {
  readonly filters?: readonly FilterNode[];
  /** Columns to group by; one row per distinct combination (NULL is a group of its own). */
  readonly groupBy?: readonly string[];
  /** Count the rows of each group (the default when nothing else is asked for). */
  readonly count?: boolean;
  /** Numeric columns to add up / average. */
  readonly sum?: readonly string[];
  readonly avg?: readonly string[];
  /** Columns (numbers, text, dates) whose smallest / largest value to report. */
  readonly min?: readonly string[];
  readonly max?: readonly string[];
  readonly withDeleted?: boolean;
}

/** One group: its column values, and each asked-for aggregate keyed by column. */
export interface AggregateRow {
  readonly group: Record<string, unknown>;
  readonly count?: number;
  readonly sum?: Record<string, number | null>;
  readonly avg?: Record<string, number | null>;
  readonly min?: Record<string, unknown>;
  readonly max?: Record<string, unknown>;
}

/** An aggregate with more groups than this is refused (RESULT_TOO_LARGE): narrow the filter or group by less. */
export const MAX_AGGREGATE_GROUPS = 1_000;
const FUNCTIONS = ["sum", "avg", "min", "max"] as const;
type AggregateFunction = (typeof FUNCTIONS)[number];

interface Measure {
  readonly fn: AggregateFunction;
  readonly column: ColumnMetadata;
  readonly alias: string;
}

/** A validated aggregate, ready to run. */
export interface AggregatePlan {
  readonly sql: string;
  readonly parameters: Readonly<Record<string, unknown>>;
  readonly groups: readonly { column: ColumnMetadata; alias: string }[];
  readonly measures: readonly Measure[];
  readonly count: boolean;
}

function names(value: unknown, what: string, database: string): Result<readonly string[], DbError> {
  if (value === undefined) return ok([]);
  if (!Array.isArray(value) || value.length > 50 || !value.every((name) => typeof name === "string")) return err(dbError("VALIDATION_FAILED", `${what} takes a list of up to 50 column names.`, database, { parameter: what }));
  return ok(value as string[]);
}

/** Validates an aggregate: known columns, sum/avg only on numeric ones, nothing on JSON columns. */
export function planAggregate(target: TableTarget, query: AggregateQuery): Result<AggregatePlan, DbError> {
  const database = target.db.name;
  const table = target.metadata.tableName;
  const refuse = (column: string, message: string, reason: string) => err(dbError("VALIDATION_FAILED", message, database, { table_name: table, column, reason }));
  const resolve = (name: string, fn: AggregateFunction | "group_by") =>
    findColumn(target.metadata, name, database).andThen((column) => {
      const kind = columnKind(column);
      if (kind === "json") return refuse(name, `Column '${name}' holds JSON and cannot be used in ${fn}.`, "json_column");
      if ((fn === "sum" || fn === "avg") && kind !== "integer" && kind !== "number") return refuse(name, `${fn} needs a numeric column; '${name}' is ${kind}.`, "not_numeric");
      return ok(column);
    });
  const bag = new ParameterBag();
  return names(query.groupBy, "groupBy", database)
    .andThen((groupBy) => Result.combine(groupBy.map((name) => resolve(name, "group_by"))))
    .andThen((groupColumns) =>
      Result.combine(FUNCTIONS.map((fn) => names(query[fn], fn, database).andThen((list) => Result.combine(list.map((name) => resolve(name, fn).map((column) => ({ fn, column })))))))
        .map((lists) => lists.flat().map((measure, index) => ({ ...measure, alias: `m_${index}` })))
        .andThen((measures) =>
          compileFilters(target.db.dataSource, target.metadata, query.filters, database, bag).map((condition) => {
            const count = query.count === true || (query.count === undefined && measures.length === 0);
            const groups = groupColumns.map((column, index) => ({ column, alias: `g_${index}` }));
            const select = [
              ...groups.map((group) => `${quoteIdentifier(group.column.databaseName)} AS ${group.alias}`),
              ...(count ? ["COUNT(*) AS row_count"] : []),
              ...measures.map((measure) => `${measure.fn.toUpperCase()}(${quoteIdentifier(measure.column.databaseName)}) AS ${measure.alias}`),
            ];
            const groupSql = groups.length === 0 ? "" : ` GROUP BY ${groups.map((group) => quoteIdentifier(group.column.databaseName)).join(", ")} ORDER BY ${groups.map((group) => `${quoteIdentifier(group.column.databaseName)} ASC NULLS FIRST`).join(", ")}`;
            const where = whereClause([condition, liveRowsCondition(target.metadata, query.withDeleted)]);
            return { sql: `SELECT ${select.join(", ")} FROM ${quoteIdentifier(table)}${where}${groupSql} LIMIT ${MAX_AGGREGATE_GROUPS + 1}`, parameters: bag.values, groups, measures, count };
          }),
        ),
    );
}

/** Runs a planned aggregate; more than {@link MAX_AGGREGATE_GROUPS} groups throw RESULT_TOO_LARGE. */
export async function runAggregate(manager: EntityManager, target: TableTarget, plan: AggregatePlan): Promise<AggregateRow[]> {
  const rows = await runQuery<Record<string, unknown>>(manager, plan.sql, plan.parameters);
  if (rows.length > MAX_AGGREGATE_GROUPS) {
    throw new DbErrorException(
      dbError("RESULT_TOO_LARGE", `The aggregate has more than ${MAX_AGGREGATE_GROUPS} groups; narrow the filter or group by fewer columns.`, target.db.name, { table_name: target.metadata.tableName, max_groups: MAX_AGGREGATE_GROUPS }),
    );
  }
  const driver = target.db.dataSource.driver;
  return rows.map((row) => {
    const result: { group: Record<string, unknown>; count?: number } & Partial<Record<AggregateFunction, Record<string, unknown>>> = {
      group: Object.fromEntries(plan.groups.map((group) => [group.column.databaseName, driver.prepareHydratedValue(row[group.alias], group.column) as unknown])),
    };
    if (plan.count) result.count = Number(row.row_count);
    for (const measure of plan.measures) {
      const raw = row[measure.alias];
      const value = raw === null || raw === undefined ? null : measure.fn === "sum" || measure.fn === "avg" ? Number(raw) : (driver.prepareHydratedValue(raw, measure.column) as unknown);
      result[measure.fn] = { ...(result[measure.fn] ?? {}), [measure.column.databaseName]: value };
    }
    return result as AggregateRow;
  });
}
