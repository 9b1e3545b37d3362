import { errAsync, ResultAsync } from "neverthrow";
import type { EntityMetadata } from "typeorm";
import { dbError, DbErrorException, type DbError } from "../../errors/db-error";
import { toDbError } from "../../errors/to-db-error";
import type { AuditContext } from "../../audit/audit-actor";
import { auditedTransaction } from "../../audit/audit-trail";
import { findColumn } from "../column-lookup";
import { assignValues, validateValues, type ColumnValues } from "../record-values";
import type { TableTarget } from "../query/table-target";
import { CsvRows, csvFieldValue, type TransferFormat } from "./row-format";

/** How an import commits: everything in one transaction (the default), or committed batches of `batchSize` rows. */
export interface ImportOptions {
  readonly batchSize?: number;
  /** Called after every inserted chunk with the rows inserted so far (the CLI's progress bar). */
  readonly onProgress?: (rows: number) => void;
}

/** What an import did. */
export interface ImportReport {
  readonly imported: number;
  /** Transactions committed: 1 for an all-or-nothing import, the batch count with `batchSize`. */
  readonly batches: number;
}

const INSERT_CHUNK = 500;

/** Parses NDJSON or CSV chunks into records; a malformed line or unknown CSV header is an error naming it. */
export async function* parseRecords(format: TransferFormat, chunks: AsyncIterable<string | Buffer>, metadata: EntityMetadata, database: string): AsyncGenerator<Record<string, unknown>> {
  const refuse = (line: number, message: string): never => {
    throw new DbErrorException(dbError("VALIDATION_FAILED", `Line ${line}: ${message}`, database, { line, table_name: metadata.tableName }));
  };
  let line = 0;
  if (format === "ndjson") {
    let rest = "";
    const parse = (text: string) => {
      line += 1;
      if (text.trim() === "") return undefined;
      try {
        const value: unknown = JSON.parse(text);
        return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : refuse(line, "each line must be one JSON object.");
      } catch (error) {
        if (error instanceof DbErrorException) throw error;
        return refuse(line, "not valid JSON.");
      }
    };
    for await (const chunk of chunks) {
      const parts = (rest + chunk.toString()).split("\n");
      rest = parts.pop() ?? "";
      for (const part of parts) {
        const record = parse(part);
        if (record !== undefined) yield record;
      }
    }
    const last = parse(rest);
    if (last !== undefined) yield last;
    return;
  }
  const csv = new CsvRows();
  let header: ReturnType<typeof findColumn>[] | undefined;
  const toRecord = (fields: string[]): Record<string, unknown> | undefined => {
    line += 1;
    if (header === undefined) {
      header = fields.map((name) => findColumn(metadata, name, database));
      const unknown = header.find((column) => column.isErr());
      if (unknown !== undefined && unknown.isErr()) throw new DbErrorException(unknown.error);
      return undefined;
    }
    if (fields.length === 1 && fields[0] === "") return undefined;
    if (fields.length !== header.length) refuse(line, `expected ${header.length} fields, found ${fields.length}.`);
    return Object.fromEntries(header.map((column, index) => {
      const metadataColumn = column._unsafeUnwrap();
      return [metadataColumn.databaseName, csvFieldValue(metadataColumn, fields[index] as string)];
    }));
  };
  for await (const chunk of chunks) {
    for (const fields of csv.push(chunk.toString())) {
      const record = toRecord(fields);
      if (record !== undefined) yield record;
    }
  }
  for (const fields of csv.end()) {
    const record = toRecord(fields);
    if (record !== undefined) yield record;
  }
}

/**
 * Inserts records as they arrive, each validated exactly as `createMany` validates (a bad row
 * fails the import naming its number). All or nothing by default: one transaction, rolled back
 * on the first bad row; with `batchSize`, each batch commits on its own and a failure reports how
 * many rows and batches were committed before it. Every imported row leaves one `import` audit
 * row (as `audit` names the actor), committed with its batch.
 */
export function importInto(target: TableTarget, records: AsyncIterable<Record<string, unknown>>, options: ImportOptions, audit: AuditContext): ResultAsync<ImportReport, DbError> {
  const database = target.db.name;
  const batchSize = options.batchSize;
  if (batchSize !== undefined && !(Number.isInteger(batchSize) && batchSize >= 1 && batchSize <= 1_000_000)) {
    return errAsync(dbError("VALIDATION_FAILED", `batch must be a whole number from 1 to 1000000, got ${String(batchSize)}.`, database, { batch: batchSize }));
  }
  let imported = 0;
  let committed = 0;
  const iterator = records[Symbol.asyncIterator]();
  let row = 0;
  let exhausted = false;
  /** Reads, validates and inserts up to `limit` rows in one transaction. */
  const run = (limit: number) =>
    auditedTransaction(target.db, target.metadata, audit, async (manager, trail) => {
      let taken = 0;
      let chunk: ColumnValues[] = [];
      const flush = async () => {
        if (chunk.length === 0) return;
        const entities = chunk.map((columns) => assignValues(target.metadata.create() as Record<string, unknown>, columns));
        await trail.insert(manager, "import", entities, chunk);
        taken += chunk.length;
        chunk = [];
        options.onProgress?.(imported + taken);
      };
      while (taken + chunk.length < limit) {
        const next = await iterator.next();
        if (next.done === true) {
          exhausted = true;
          break;
        }
        row += 1;
        const validated = validateValues(target.metadata, next.value, "create", database);
        if (validated.isErr()) throw new DbErrorException({ ...validated.error, message: `Row ${row}: ${validated.error.message}`, details: { ...validated.error.details, row } });
        chunk.push(validated.value);
        if (chunk.length >= INSERT_CHUNK) await flush();
      }
      await flush();
      return taken;
    });
  const loop = async (): Promise<ImportReport> => {
    for (;;) {
      const result = await run(batchSize ?? Number.POSITIVE_INFINITY);
      if (result.isErr()) {
        const details = { ...result.error.details, imported, committed_batches: committed };
        throw new DbErrorException({ ...result.error, details, message: batchSize === undefined ? `${result.error.message} Nothing was imported.` : `${result.error.message} ${imported} row(s) in ${committed} batch(es) were committed before it.` });
      }
      imported += result.value;
      if (result.value > 0) committed += 1;
      if (exhausted || batchSize === undefined) return { imported, batches: committed };
    }
  };
  return ResultAsync.fromPromise(loop(), (error) => toDbError(error, database));
}
