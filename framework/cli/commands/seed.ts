import type { Command } from "commander";
import { SeedRunner } from "../../seeds/seed-runner";
import type { CliContext } from "../cli-context";
import { output, withJson, type JsonOption } from "../command-helpers";
import { CliFailure } from "../exit-codes";
import { renderTable } from "../output";

/** `seed [db]`: runs the idempotent seed scripts of one database or all. */
export function registerSeed(program: Command, context: CliContext): void {
  withJson(
    program
      .command("seed")
      .description("run the idempotent seed scripts in modules/<m>/seeds/ (running twice changes nothing)")
      .argument("[db]", "database name (default: every database)"),
  ).action(async (name: string | undefined, options: JsonOption) => {
    const framework = await context.boot();
    const result = await framework.resolve(SeedRunner).run(name);
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
