import type { EntityMetadata } from "typeorm";
import type { ColumnMetadata } from "typeorm/metadata/ColumnMetadata";
import type { SqlDialect } from "../engines/sql-dialect";
import { dbError, type DbError } from "../errors/db-error";
import { tableColumns } from "./column-lookup";
import { quoteIdentifier } from "./sql-identifier";

/**
 * A SQL expression estimating how many bytes one row takes in a JSON response: each value's
 * stored size (the dialect's `storedSize`: `octet_length`, which SQLite answers from the record header without loading the
 * value), its key and punctuation; blobs count four times (JSON spells each byte as a number).
 * Measuring this first lets a page that would be huge be refused before a single value is read.
 */
export function rowSizeExpression(dialect: SqlDialect, metadata: EntityMetadata, columns: readonly ColumnMetadata[] = tableColumns(metadata)): string {
  const parts = columns.map((column) => {
    const size = `COALESCE(${dialect.storedSize(quoteIdentifier(column.databaseName))}, 4)`;
    const isBlob = String(column.type).toLowerCase() === "blob" || (column.type as unknown) === Buffer;
    return `${isBlob ? `${size} * 4` : size} + ${column.databaseName.length + 6}`;
  });
  return parts.length === 0 ? "2" : `${parts.join(" + ")} + 2`;
}

function formatBytes(bytes: number): string {
  return bytes >= 1_048_576 ? `${(bytes / 1_048_576).toFixed(1)} MiB` : `${(bytes / 1024).toFixed(1)} KiB`;
}

/**
 * RESULT_TOO_LARGE when rows of these estimated sizes add up to more than `maxBytes`, naming how
 * many of them would fit; undefined when they fit.
 */
export function budgetRefusal(metadata: EntityMetadata, database: string, sizes: readonly number[], maxBytes: number, what: "page" | "record"): DbError | undefined {
  let total = 0;
  let fitting = 0;
  for (const size of sizes) {
    total += size;
    if (total <= maxBytes) fitting += 1;
  }
  if (total <= maxBytes) return undefined;
  const advice =
    what === "record"
      ? "this one record alone is larger than the limit"
      : fitting === 0
        ? "even its first record alone is larger than the limit"
        : `at most ${fitting} of its ${sizes.length} records fit: ask for page_size=${fitting} or fewer`;
  return dbError(
    "RESULT_TOO_LARGE",
    `The ${what} of '${metadata.tableName}' would take about ${formatBytes(total)}, more than the response limit of ${formatBytes(maxBytes)}; ${advice}.`,
    database,
    { table_name: metadata.tableName, limit_bytes: maxBytes, estimated_bytes: total, records: sizes.length, records_that_fit: fitting },
  );
}
