import type { Command } from "commander";
import { MigrationService } from "../../migrations/migration-service";
import { REVERT_ALL } from "../../migrations/revert-migrations";
import type { CliContext } from "../cli-context";
import { migrationFailure, output, withJson, type JsonOption } from "../command-helpers";
import { CliFailure } from "../exit-codes";
import { answerFailure, callHolder, carriedOutBy, reloadOthers, serverFor, writeHolders, type CarriedOutBy } from "../through-holder";

interface StatusAnswer {
  readonly databases?: { applied?: { name: string }[] }[];
}

interface RunAnswer {
  readonly databases?: { reverted?: { name: string }[] }[];
}

/** The `target` that makes the server revert only the last applied migration. */
async function previousTarget(server: Parameters<typeof callHolder>[0], name: string): Promise<string> {
  const status = await callHolder(server, "GET", `/api/v1/db/migrations/status?database=${encodeURIComponent(name)}`);
  if (status.status !== 200) throw answerFailure(status);
  const applied = ((status.body as StatusAnswer).databases?.[0]?.applied ?? []).map((entry) => entry.name);
  if (applied.length === 0) throw new CliFailure("NOTHING_TO_REVERT", `Database '${name}' has no applied migration to revert.`, { database: name });
  return applied.length === 1 ? REVERT_ALL : (applied[applied.length - 2] as string);
}

function report(options: JsonOption, name: string, reverted: string[], by: CarriedOutBy | null): void {
  output(options, { database: name, reverted, carried_out_by: by }, () => {
    const lines = [`Reverted in database '${name}': ${reverted.join(", ")}.`];
    if (by !== null) lines.push(`Carried out by the server holding it (pid ${by.pid}, ${by.admin_url}); it re-checked the database (it refuses it until its entities and schema agree again, e.g. after migration:run).`);
    return lines.join("\n");
  });
}

/**
 * `migration:revert <db> [--to name]`: undoes the last applied migration, or every one after
 * `name`. When a server holds the database the revert is carried out by that server, which then
 * re-checks it; a holder without an HTTP API makes the command refuse with DATABASE_IN_USE.
 */
export function registerMigrationRevert(program: Command, context: CliContext): void {
  withJson(
    program
      .command("migration:revert")
      .description("undo the last applied migration of a database, or every migration applied after --to <name>; goes through a server holding it")
      .argument("<db>", "database name")
      .option("--to <name>", `keep this migration applied and revert everything after it ('${REVERT_ALL}' reverts all)`),
  ).action(async (name: string, options: JsonOption & { to?: string }) => {
    const holders = writeHolders(context.settings().dataDir, [name]);
    if (holders.length > 0) {
      const server = serverFor(`revert migrations of '${name}'`, holders);
      const target = options.to ?? (await previousTarget(server, name));
      const answer = await callHolder(server, "POST", "/api/v1/db/migrations/run", { database: name, target });
      if (answer.status !== 200) throw answerFailure(answer);
      await reloadOthers(holders.filter((holder) => holder !== server && typeof holder.admin_url === "string") as (typeof server)[], [name]);
      report(options, name, ((answer.body as RunAnswer).databases?.[0]?.reverted ?? []).map((entry) => entry.name), carriedOutBy(server));
      return;
    }
    const framework = await context.boot("write");
    const result = await framework.resolve(MigrationService).revert(name, options.to === undefined ? {} : { to: options.to });
    if (result.isErr()) throw migrationFailure(result.error);
    report(options, name, result.value.reverted.map((outcome) => outcome.name), null);
  });
}
