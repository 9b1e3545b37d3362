import type { Command } from "commander";
import { MigrationService } from "../../migrations/migration-service";
import { viewMigrationStatus } from "../../migrations/migration-status-view";
import type { CliContext } from "../cli-context";
import { migrationFailure, output, withJson, type JsonOption } from "../command-helpers";
import { renderTable } from "../output";

/** `migration:status [db]`: applied and pending migrations per database, plus schema drift. */
export function registerMigrationStatus(program: Command, context: CliContext): void {
  withJson(
    program
      .command("migration:status")
      .description("applied and pending migrations per database, and the drift between entities and schema")
      .argument("[db]", "database name (default: every database)"),
  ).action(async (name: string | undefined, options: JsonOption) => {
    const framework = await context.boot("read");
    const result = await framework.resolve(MigrationService).status(name);
    if (result.isErr()) throw migrationFailure(result.error);
    const statuses = result.value;
    output(options, { databases: statuses.map(viewMigrationStatus) }, () => {
      const rows = statuses.flatMap((status) => [
        ...status.applied.map((entry) => [status.database, entry.name, status.missing.includes(entry.name) ? "applied (file missing)" : entry.mode === "baseline" ? "baseline" : "applied", entry.appliedAt, entry.description ?? ""]),
        ...status.pending.map((entry) => [status.database, entry.name, "PENDING", "", entry.description ?? ""]),
      ]);
      const migrations = rows.length === 0 ? "No migrations." : renderTable(["database", "migration", "state", "applied at", "description"], rows);
      const drift = statuses.map((status) =>
        status.drift.length === 0 ? `  ${status.database} (${status.state}): entities and schema agree` : [`  ${status.database} (${status.state}): ${status.drift.length} difference(s)`, ...status.drift.map((change) => `      - ${change.description}`)].join("\n"),
      );
      return `${migrations}\n\ndrift:\n${drift.join("\n")}`;
    });
  });
}
