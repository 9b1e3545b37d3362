import { err, ok, type Result } from "neverthrow";
import type { ColumnMetadata } from "typeorm/metadata/ColumnMetadata";
import type { EntityMetadata } from "typeorm";
import { dbError, type DbError } from "../errors/db-error";
import { columnKind } from "./column-kind";

/** The declared maximum length of a text column (`varchar(n)`, `{ length: n }`), or undefined when it has none. */
export function declaredLength(column: ColumnMetadata): number | undefined {
  const raw = String(column.length ?? "").trim();
  if (!/^[1-9][0-9]*$/.test(raw) || columnKind(column) !== "string") return undefined;
  return Number(raw);
}

const SURROGATE_PAIR = /[\uD800-\uDBFF][\uDC00-\uDFFF]/g;

/** Characters (code points, as SQL counts them) in `text`: its UTF-16 length less one per surrogate pair. */
function characters(text: string): number {
  return text.length - (text.match(SURROGATE_PAIR)?.length ?? 0);
}

/**
 * VALIDATION_FAILED when a text value is longer than its column's declared length. SQLite itself
 * never enforces `varchar(n)`, so without this a 900 KB value lands in a `varchar(500)` column.
 */
export function checkDeclaredLength(metadata: EntityMetadata, column: ColumnMetadata, value: unknown, database: string): Result<unknown, DbError> {
  const limit = declaredLength(column);
  // UTF-16 length is never below the character count, so short values need no counting.
  if (limit === undefined || typeof value !== "string" || value.length <= limit) return ok(value);
  const length = characters(value);
  if (length <= limit) return ok(value);
  return err(
    dbError("VALIDATION_FAILED", `Invalid value for '${column.databaseName}': ${length} characters, but the column allows at most ${limit}.`, database, {
      table_name: metadata.tableName,
      column: column.databaseName,
      max_length: limit,
      length,
      reason: "too_long",
    }),
  );
}
