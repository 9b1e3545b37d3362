import { createReadStream, statSync } from "node:fs";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import type { Command } from "commander";
import { exportRecords, exportStream } from "../../crud/transfer/export-records";
import { parseRecords } from "../../crud/transfer/import-records";
import { TRANSFER_FORMATS, type TransferFormat } from "../../crud/transfer/row-format";
import { CrudService } from "../../crud/crud-service";
import { parseFields, toListQuery } from "../../http/query/list-query";
import type { CliContext } from "../cli-context";
import { output, requireDatabase, withJson, type JsonOption } from "../command-helpers";
import { CliFailure, EXIT_USAGE } from "../exit-codes";
import { inUse, writeHolders } from "../through-holder";

function formatOf(option: string | undefined, file?: string): TransferFormat {
  const format = option ?? (file !== undefined && path.extname(file).toLowerCase() === ".csv" ? "csv" : "ndjson");
  if (!(TRANSFER_FORMATS as readonly string[]).includes(format)) throw new CliFailure("VALIDATION_FAILED", `--format must be ${TRANSFER_FORMATS.join(" or ")}, got '${format}'.`, { format }, EXIT_USAGE);
  return format as TransferFormat;
}

/** `[#####-----] 45% 450/1000 rows` on stderr, redrawn in place when stderr is a terminal. */
function progressBar(totalBytes: number, readBytes: () => number): (rows: number) => void {
  const tty = process.stderr.isTTY === true;
  let last = 0;
  return (rows) => {
    const now = Date.now();
    if (!tty || now - last < 100) return;
    last = now;
    const share = totalBytes === 0 ? 1 : Math.min(1, readBytes() / totalBytes);
    const filled = Math.round(share * 30);
    process.stderr.write(`\r[${"#".repeat(filled)}${"-".repeat(30 - filled)}] ${String(Math.round(share * 100)).padStart(3)}% ${rows} rows`);
  };
}

/** `export <db> <table>` and `import <db> <table> <file>`: NDJSON or CSV, streamed. */
export function registerTransfer(program: Command, context: CliContext): void {
  program
    .command("export")
    .description("write a table (filtered, sorted) to stdout as NDJSON or CSV, streamed in constant memory")
    .argument("<db>", "database name")
    .argument("<table>", "table name")
    .option("--format <format>", "ndjson or csv", "ndjson")
    .option("--filter <json>", 'filter as JSON, e.g. \'{"or":[{"status":{"eq":"a"}},{"priority":{"lt":3}}]}\'')
    .option("--sort <columns>", "comma-separated, '-' for descending: -created_at,name")
    .option("--fields <columns>", "comma-separated columns (default: all)")
    .action(async (name: string, table: string, options: { format?: string; filter?: string; sort?: string; fields?: string }) => {
      const format = formatOf(options.format);
      const framework = await context.boot("read");
      const metadata = requireDatabase(framework, name).table(table);
      if (metadata.isErr()) throw new CliFailure(metadata.error.code, metadata.error.message, metadata.error.details);
      const query = toListQuery({ ...(options.filter === undefined ? {} : { filter: options.filter }), ...(options.sort === undefined ? {} : { sort: options.sort }) }, metadata.value);
      if (query.isErr()) throw new CliFailure(query.error.code, query.error.message, query.error.details, EXIT_USAGE);
      const fields = parseFields(options.fields, new Set());
      if (fields.isErr()) throw new CliFailure(fields.error.code, fields.error.message, fields.error.details, EXIT_USAGE);
      const exported = await exportRecords(framework.resolve(CrudService), name, table, { ...query.value, ...(fields.value === undefined ? {} : { fields: fields.value }) });
      if (exported.isErr()) throw new CliFailure(exported.error.code, exported.error.message, exported.error.details);
      await pipeline(exportStream(exported.value.columns, exported.value.batches, format), process.stdout);
    });

  withJson(
    program
      .command("import")
      .description("insert the rows of an NDJSON or CSV file, validated like createMany: all or nothing, or committed batches with --batch")
      .argument("<db>", "database name")
      .argument("<table>", "table name")
      .argument("<file>", "an .ndjson or .csv file")
      .option("--format <format>", "ndjson or csv (default: from the file extension)")
      .option("--batch <rows>", "commit every N rows instead of all at once; a failure reports what was committed"),
  ).action(async (name: string, table: string, file: string, options: JsonOption & { format?: string; batch?: string }) => {
    const format = formatOf(options.format, file);
    const batchSize = options.batch === undefined ? undefined : Number(options.batch);
    if (batchSize !== undefined && !(Number.isInteger(batchSize) && batchSize >= 1)) throw new CliFailure("VALIDATION_FAILED", `--batch takes a whole number from 1, got '${options.batch}'.`, { batch: options.batch }, EXIT_USAGE);
    const holders = writeHolders(context.settings().dataDir, [name]);
    if (holders.length > 0) throw inUse(`import into '${name}'`, holders, `Import through the server instead: POST /api/v1/db/databases/${name}/tables/${table}/import.`);
    const size = statSync(file).size;
    const framework = await context.boot("write");
    const metadata = requireDatabase(framework, name).table(table);
    if (metadata.isErr()) throw new CliFailure(metadata.error.code, metadata.error.message, metadata.error.details);
    const source = createReadStream(file);
    const onProgress = progressBar(size, () => source.bytesRead);
    const report = await framework.resolve(CrudService).importRecords(name, table, parseRecords(format, source, metadata.value, name), { ...(batchSize === undefined ? {} : { batchSize }), onProgress });
    if (process.stderr.isTTY === true) process.stderr.write("\n");
    if (report.isErr()) throw new CliFailure(report.error.code, report.error.message, report.error.details);
    output(options, { database: name, table, ...report.value }, () => `Imported ${report.value.imported} row(s) into ${name}.${table} in ${report.value.batches} transaction(s).`);
  });
}
