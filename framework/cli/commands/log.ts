import { InvalidArgumentError, type Command } from "commander";
import { MAX_OPERATIONS_PER_READ, OPERATION_KINDS } from "../../system/operations-log";
import type { CliContext } from "../cli-context";
import { output, withJson, type JsonOption } from "../command-helpers";
import { CliFailure } from "../exit-codes";
import { renderTable } from "../output";

function parseLimit(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > MAX_OPERATIONS_PER_READ) throw new InvalidArgumentError(`expected a whole number from 1 to ${MAX_OPERATIONS_PER_READ}`);
  return Number(value);
}

function parseKind(value: string): string {
  if (!(OPERATION_KINDS as readonly string[]).includes(value)) throw new InvalidArgumentError(`expected one of ${OPERATION_KINDS.join(", ")}`);
  return value;
}

/** `log [--database db] [--kind k] [--limit n] [--json]`: the operations log, newest first. */
export function registerLog(program: Command, context: CliContext): void {
  withJson(
    program
      .command("log")
      .alias("operations")
      .description("the operations log, newest first: boots, shutdowns, migrations run and reverted, seeds, backups, restores, databases refused or made ready")
      .option("--database <db>", "only entries about this database")
      .option("--kind <kind>", `only this kind (${OPERATION_KINDS.join(", ")})`, parseKind)
      .option("--limit <n>", "at most this many entries (default 50)", parseLimit),
  ).action(async (options: JsonOption & { database?: string; kind?: string; limit?: number }) => {
    const framework = await context.boot("read");
    const listed = await framework.operations.list({ limit: options.limit ?? 50, ...(options.database === undefined ? {} : { database: options.database }), ...(options.kind === undefined ? {} : { kind: options.kind }) });
    if (listed.isErr()) throw new CliFailure(listed.error.code, listed.error.message);
    const operations = listed.value;
    output(options, { operations }, () =>
      operations.length === 0
        ? "No operations recorded."
        : renderTable(
            ["at", "kind", "outcome", "database", "actor", "message"],
            operations.map((entry) => [entry.at, entry.kind, entry.outcome, entry.database ?? "-", entry.actor, entry.message.length > 160 ? `${entry.message.slice(0, 157)}...` : entry.message]),
          ),
    );
  });
}
