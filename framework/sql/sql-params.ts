import { err, ok, type Result } from "neverthrow";
import { dbError, type DbError } from "../errors/db-error";
import type { SqlDialect } from "../engines/sql-dialect";
import { timestampText } from "../engines/sql-common";
import type { SqlParam } from "./sql-types";

/** The timestamp text the framework stores and reads back on every engine (UTC, `YYYY-MM-DD HH:MM:SS.SSS`): sorts and compares as text. */
export function sqlTimestamp(date: Date): string {
  return timestampText(date);
}

function isSqlParam(value: unknown): value is SqlParam {
  if (value === null) return true;
  if (value instanceof Date) return !Number.isNaN(value.getTime());
  if (value instanceof Uint8Array) return true;
  const kind = typeof value;
  if (kind === "number") return Number.isFinite(value as number);
  return kind === "string" || kind === "bigint" || kind === "boolean";
}

/**
 * Checks the parameters of one statement and converts them the engine's way (`dialect.bindValue`:
 * SQLite binds booleans as 1/0). Anything no engine can bind faithfully (undefined, objects, NaN,
 * invalid dates) is refused with VALIDATION_FAILED naming its position, rather than silently stored
 * as NULL or text.
 */
export function bindParams(params: readonly unknown[] | undefined, database: string, dialect: SqlDialect, statementIndex?: number): Result<unknown[], DbError> {
  const values = params ?? [];
  if (!Array.isArray(values)) return err(dbError("VALIDATION_FAILED", "SQL parameters must be an array.", database));
  const bad = values.findIndex((value) => !isSqlParam(value));
  if (bad >= 0) {
    const where = statementIndex === undefined ? "" : ` of statement ${statementIndex}`;
    return err(
      dbError("VALIDATION_FAILED", `Parameter ${bad + 1}${where} cannot be bound to SQL (got ${describe(values[bad])}).`, database, {
        parameter_index: bad,
        ...(statementIndex === undefined ? {} : { statement_index: statementIndex }),
      }),
    );
  }
  return ok(values.map((value) => dialect.bindValue(value as SqlParam)));
}

function describe(value: unknown): string {
  if (value === undefined) return "undefined";
  if (typeof value === "number") return String(value);
  if (value instanceof Date) return "an invalid Date";
  return typeof value === "object" ? "an object" : typeof value;
}
