import type { Command } from "commander";
import { MigrationService } from "../../migrations/migration-service";
import type { CliContext } from "../cli-context";
import { migrationFailure, output, withJson, type JsonOption } from "../command-helpers";
import { ReportedFailure } from "../exit-codes";
import { renderTable } from "../output";

/** `migration:run [db]`: applies pending migrations, each in its own transaction; exit code 1 if one fails. */
export function registerMigrationRun(program: Command, context: CliContext): void {
  withJson(
    program
      .command("migration:run")
      .description("apply pending migrations of one database or all, each in a transaction (a failing one leaves its database unchanged)")
      .argument("[db]", "database name (default: every database)"),
  ).action(async (name: string | undefined, options: JsonOption) => {
    const framework = await context.boot();
    const result = await framework.resolve(MigrationService).run(name);
    if (result.isErr()) throw migrationFailure(result.error);
    const reports = result.value;
    const view = reports.map((report) => ({
      database: report.database,
      applied: report.applied.map((outcome) => outcome.name),
      applied_at_boot: report.appliedAtBoot,
      failure: report.failure ?? null,
    }));
    output(options, { databases: view }, () => {
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
      return failures.length > 0 ? `${table}\n\nfailures:\n${failures.join("\n")}` : table;
    });
    const failed = reports.filter((report) => report.failure !== undefined);
    if (failed.length > 0) throw new ReportedFailure("MIGRATION_FAILED", failed.map((report) => report.failure?.message ?? "").join(" "));
  });
}
