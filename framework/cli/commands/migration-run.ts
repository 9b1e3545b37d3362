import type { Command } from "commander";
import { MigrationService } from "../../migrations/migration-service";
import type { CliContext } from "../cli-context";
import { migrationFailure, output, withJson, type JsonOption } from "../command-helpers";
import { ReportedFailure } from "../exit-codes";
import { renderTable } from "../output";
import { answerFailure, callHolder, carriedOutBy, reloadOthers, serverFor, writeHolders, type CarriedOutBy } from "../through-holder";

/** One database in the report of `migration:run`. */
interface RunView {
  readonly database: string;
  readonly applied: string[];
  readonly applied_at_boot: string[];
  readonly failure: { readonly code: string; readonly message: string; readonly migration: string | null; readonly statement: string | null } | null;
}

function render(view: readonly RunView[], by: CarriedOutBy | null): string {
  const table = renderTable(
    ["database", "applied now", "applied at boot", "result"],
    view.map((entry) => [
      entry.database,
      entry.applied.join(", ") || "-",
      entry.applied_at_boot.join(", ") || "-",
      entry.failure === null ? (entry.applied.length + entry.applied_at_boot.length === 0 ? "up to date" : "ok") : `FAILED: ${entry.failure.migration ?? entry.failure.code}`,
    ]),
  );
  const failures = view.flatMap((entry) => (entry.failure === null ? [] : [`  ${entry.database}: ${entry.failure.message}`]));
  const lines = [table];
  if (failures.length > 0) lines.push("", "failures:", ...failures);
  if (by !== null) lines.push("", `carried out by the server holding the databases (pid ${by.pid}, ${by.admin_url}); it re-checked them and serves the new schema.`);
  return lines.join("\n");
}

function finish(options: JsonOption, view: RunView[], by: CarriedOutBy | null): void {
  output(options, { databases: view, carried_out_by: by }, () => render(view, by));
  const failed = view.filter((entry) => entry.failure !== null);
  if (failed.length > 0) throw new ReportedFailure("MIGRATION_FAILED", failed.map((entry) => entry.failure?.message ?? "").join(" "));
}

interface RunAnswer {
  readonly databases?: { database: string; applied?: { name: string }[]; applied_at_boot?: string[] }[];
}

/**
 * `migration:run [db]`: applies pending migrations, each in its own transaction; exit code 1 if one
 * fails. When a server holds the databases the migrations are applied by that server (through its
 * HTTP API), which then re-checks the databases and serves the new schema; a holder without an API
 * makes the command refuse with DATABASE_IN_USE instead of changing the schema under it.
 */
export function registerMigrationRun(program: Command, context: CliContext): void {
  withJson(
    program
      .command("migration:run")
      .description("apply pending migrations of one database or all, each in a transaction (a failing one leaves its database unchanged); goes through a server holding them")
      .argument("[db]", "database name (default: every database)"),
  ).action(async (name: string | undefined, options: JsonOption) => {
    const holders = writeHolders(context.settings().dataDir, name === undefined ? undefined : [name]);
    if (holders.length > 0) {
      const server = serverFor(`apply migrations to ${name === undefined ? "the databases" : `'${name}'`}`, holders);
      const answer = await callHolder(server, "POST", "/api/v1/db/migrations/run", name === undefined ? {} : { database: name });
      const failure = answer.status === 200 ? undefined : answerFailure(answer);
      const databases = ((answer.status === 200 ? (answer.body as RunAnswer).databases : (failure?.details?.databases as RunAnswer["databases"])) ?? []) as NonNullable<RunAnswer["databases"]>;
      if (failure !== undefined && databases.length === 0) throw failure;
      const failedDatabase = failure?.details?.database;
      const view: RunView[] = databases.map((entry) => ({
        database: entry.database,
        applied: (entry.applied ?? []).map((migration) => migration.name),
        applied_at_boot: entry.applied_at_boot ?? [],
        failure:
          failure !== undefined && entry.database === failedDatabase
            ? { code: failure.code, message: failure.message, migration: (failure.details?.migration as string | undefined) ?? null, statement: (failure.details?.statement as string | undefined) ?? null }
            : null,
      }));
      await reloadOthers(
        holders.filter((holder) => holder !== server && typeof holder.admin_url === "string") as (typeof server)[],
        view.map((entry) => entry.database),
      );
      finish(options, view, carriedOutBy(server));
      return;
    }
    const framework = await context.boot("write");
    const result = await framework.resolve(MigrationService).run(name);
    if (result.isErr()) throw migrationFailure(result.error);
    finish(
      options,
      result.value.map((report) => ({
        database: report.database,
        applied: report.applied.map((outcome) => outcome.name),
        applied_at_boot: [...report.appliedAtBoot],
        failure: report.failure === undefined ? null : { code: report.failure.code, message: report.failure.message, migration: report.failure.migration ?? null, statement: report.failure.statement ?? null },
      })),
      null,
    );
  });
}
