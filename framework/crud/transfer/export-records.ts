import { Readable } from "node:stream";
import type { ResultAsync } from "neverthrow";
import type { DbError } from "../../errors/db-error";
import type { CrudService } from "../crud-service";
import type { CrudRecord, ListQuery } from "../crud-types";
import { csvHeader, formatRecord, type TransferFormat } from "./row-format";

/** What an export reads: a filtered, sorted (and optionally narrowed) table. */
export type ExportQuery = Pick<ListQuery, "filters" | "sort" | "fields" | "withDeleted">;

/** Rows per read while exporting: each read is a keyset page, so memory stays bounded by one batch. */
export const EXPORT_BATCH_ROWS = 1_000;

/**
 * Checks an export by reading its first batch (so a bad filter is a Result error before any byte
 * is sent), then yields the records batch by batch through keyset cursors: no batch repeats or
 * skips a row that exists throughout, and the connection is free between batches.
 */
export function exportRecords(crud: CrudService, database: string, table: string, query: ExportQuery): ResultAsync<{ columns: string[]; batches: AsyncGenerator<CrudRecord[]> }, DbError> {
  const base: ListQuery = { ...query, pageSize: EXPORT_BATCH_ROWS, count: "none" };
  return crud.list(database, table, base).andThen((first) => {
    async function* batches(): AsyncGenerator<CrudRecord[]> {
      let page = first;
      for (;;) {
        if (page.records.length > 0) yield page.records;
        if (page.nextCursor === null) return;
        const next = await crud.list(database, table, { ...base, cursor: page.nextCursor });
        if (next.isErr()) throw new Error(`${next.error.code}: ${next.error.message}`);
        page = next.value;
      }
    }
    return crud.columnsOf(database, table, query.fields).map((columns) => ({ columns, batches: batches() }));
  });
}

/**
 * The export as a byte stream in `format`. Built on an async generator, so it produces the next
 * batch only when the consumer has taken the last one: a slow client holds back the reads
 * (backpressure) and memory stays constant however large the table.
 */
export function exportStream(columns: readonly string[], batches: AsyncGenerator<CrudRecord[]>, format: TransferFormat): Readable {
  async function* lines(): AsyncGenerator<string> {
    if (format === "csv") yield csvHeader(columns);
    for await (const batch of batches) yield batch.map((record) => formatRecord(format, record, columns)).join("");
  }
  return Readable.from(lines(), { objectMode: false, highWaterMark: 64 * 1024 });
}
