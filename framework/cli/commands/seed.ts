import type { Command } from "commander";
import { SeedRunner } from "../../seeds/seed-runner";
import type { CliContext } from "../cli-context";
import { output, withJson, type JsonOption } from "../command-helpers";
import { CliFailure } from "../exit-codes";
import { renderTable } from "../output";
import { inUse, writeHolders } from "../through-holder";

/**
 * `seed [db]`: runs the idempotent seed scripts of one database or all. Refused with
 * DATABASE_IN_USE while another process (a server) holds the databases for writing: seeding
 * creates tables and rows, which belongs to a stopped server's data dir.
 */
export function registerSeed(program: Command, context: CliContext): void {
  withJson(
    program
      .command("seed")
      .description("run the idempotent seed scripts in modules/<m>/seeds/ (running twice changes nothing)")
      .argument("[db]", "database name (default: every database)"),
  ).action(async (name: string | undefined, options: JsonOption) => {
    const holders = writeHolders(context.settings().dataDir, name === undefined ? undefined : [name]);
    if (holders.length > 0) throw inUse(`seed ${name === undefined ? "the databases" : `'${name}'`}`, holders, "Stop it, seed, and start it again.");
    const framework = await context.boot("write");
    const result = await framework.resolve(SeedRunner).run(name);
    await framework.operations.record(
      result.isOk()
        ? {
            kind: "seed",
            outcome: "ok",
            database: name ?? null,
            message: `Ran ${result.value.length} seed script(s)${name === undefined ? "" : ` of '${name}'`}.`,
            details: { seeds: result.value.map((outcome) => ({ database: outcome.database, module: outcome.module, seed: outcome.seed, created: outcome.created })) },
          }
        : { kind: "seed", outcome: "failed", database: result.error.database ?? name ?? null, message: result.error.message, details: { code: result.error.code, seed: result.error.seed ?? null } },
    );
    if (result.isErr()) throw new CliFailure(result.error.code, result.error.message, { ...(result.error.database === undefined ? {} : { database: result.error.database }), ...(result.error.seed === undefined ? {} : { seed: result.error.seed }) });
    const outcomes = result.value;
    output(options, { seeds: outcomes }, () => {
      if (outcomes.length === 0) return "No seed scripts found.";
      return renderTable(
        ["database", "module", "seed", "created"],
        outcomes.map((outcome) => {
          const created = Object.entries(outcome.created).map(([table, count]) => `${table}: ${count}`);
          return [outcome.database, outcome.module, outcome.seed, created.length === 0 ? "nothing (already seeded)" : created.join(", ")];
        }),
      );
    });
  });
}
