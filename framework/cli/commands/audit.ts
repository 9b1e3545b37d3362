import os from "node:os";
import { InvalidArgumentError, type Command } from "commander";
import { DEFAULT_AUDIT_PAGE_SIZE, MAX_AUDIT_PAGE_SIZE, readAudit } from "../../audit/audit-log";
import type { CliContext } from "../cli-context";
import { output, requireDatabase, withJson, type JsonOption } from "../command-helpers";
import { CliFailure } from "../exit-codes";
import { renderTable } from "../output";

/** The actor of writes a CLI command makes through the CrudService (an import, say): `cli:<user>`. */
export function cliActor(): string {
  try {
    return `cli:${os.userInfo().username}`;
  } catch {
    // Some containers run as a uid without a passwd entry.
    return `cli:uid-${process.getuid?.() ?? "unknown"}`;
  }
}

function whole(min: number, max: number) {
  return (value: string): number => {
    if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}`);
    return Number(value);
  };
}

function time(value: string): number {
  const ms = /^\d+$/.test(value) ? Number(value) : /^\d{4}-\d{2}-\d{2}/.test(value) ? Date.parse(value) : Number.NaN;
  if (!Number.isFinite(ms)) throw new InvalidArgumentError("expected an ISO 8601 time or epoch milliseconds");
  return ms;
}

interface AuditOptions extends JsonOption {
  readonly table?: string;
  readonly record?: string;
  readonly actor?: string;
  readonly from?: number;
  readonly to?: number;
  readonly page?: number;
  readonly limit?: number;
}

/** `audit <db> [--table t] [--record k] [--actor a] [--from t] [--to t] [--limit n] [--page p] [--json]`: a database's audit trail, newest first. */
export function registerAudit(program: Command, context: CliContext): void {
  withJson(
    program
      .command("audit")
      .description("a database's audit trail, newest first: who wrote which record through the generic API or CrudService, with the changed columns")
      .argument("<db>", "database name")
      .option("--table <table>", "only rows about this table")
      .option("--record <key>", "only this record (its key as text; a composite key as JSON)")
      .option("--actor <actor>", "only this actor (a token name, anonymous, service:<Class>, cli:<user>)")
      .option("--from <time>", "not before this ISO time or epoch ms", time)
      .option("--to <time>", "not after this ISO time or epoch ms", time)
      .option("--limit <n>", `rows per page (default ${DEFAULT_AUDIT_PAGE_SIZE})`, whole(1, MAX_AUDIT_PAGE_SIZE))
      .option("--page <p>", "page number (default 1)", whole(1, Number.MAX_SAFE_INTEGER)),
  ).action(async (name: string, options: AuditOptions) => {
    const framework = await context.boot("read");
    const database = requireDatabase(framework, name);
    const { table, record, actor, from, to, page, limit } = options;
    const read = await readAudit(database, { table, record, actor, from, to, page, pageSize: limit });
    if (read.isErr()) throw new CliFailure(read.error.code, read.error.message, read.error.details);
    const found = read.value;
    output(options, { database: name, page: found.page, page_size: found.pageSize, total_records: found.totalRecords, total_pages: found.totalPages, entries: found.entries }, () =>
      found.entries.length === 0
        ? `No audit rows in ${name}${found.totalRecords > 0 ? ` on page ${found.page} (${found.totalRecords} in all)` : ""}.`
        : `${renderTable(
            ["at", "actor", "table", "operation", "record", "changed columns", "request"],
            found.entries.map((entry) => [entry.at, entry.actor, entry.table, entry.operation, entry.record_key, entry.changed_columns.join(","), entry.request_id ?? "-"]),
          )}\nPage ${found.page} of ${Math.max(1, found.totalPages)} (${found.totalRecords} row(s)).`,
    );
  });
}
