import type { Command } from "commander";
import { MigrationService } from "../../migrations/migration-service";
import { REVERT_ALL } from "../../migrations/revert-migrations";
import type { CliContext } from "../cli-context";
import { migrationFailure, output, withJson, type JsonOption } from "../command-helpers";

/** `migration:revert <db> [--to name]`: undoes the last applied migration, or every one after `name`. */
export function registerMigrationRevert(program: Command, context: CliContext): void {
  withJson(
    program
      .command("migration:revert")
      .description("undo the last applied migration of a database, or every migration applied after --to <name>")
      .argument("<db>", "database name")
      .option("--to <name>", `keep this migration applied and revert everything after it ('${REVERT_ALL}' reverts all)`),
  ).action(async (name: string, options: JsonOption & { to?: string }) => {
    const framework = await context.boot();
    const result = await framework.resolve(MigrationService).revert(name, options.to === undefined ? {} : { to: options.to });
    if (result.isErr()) throw migrationFailure(result.error);
    const reverted = result.value.reverted.map((outcome) => outcome.name);
    output(options, { database: name, reverted }, () => `Reverted in database '${name}': ${reverted.join(", ")}.`);
  });
}
