import type { Command } from "commander";
import { checkIntegrity, type IntegrityReport } from "../../inspection/check-integrity";
import type { CliContext } from "../cli-context";
import { output, requireKnownDatabase, withJson, type JsonOption } from "../command-helpers";
import { ReportedFailure } from "../exit-codes";
import { renderTable } from "../output";

/**
 * `check [db]`: the engine's own checks (SQLite: `PRAGMA integrity_check` and `foreign_key_check`;
 * PostgreSQL: constraint validation and catalog consistency); exit code 1 when any finds a problem.
 */
export function registerCheck(program: Command, context: CliContext): void {
  withJson(
    program
      .command("check")
      .description("run the engine's integrity and constraint checks (SQLite: integrity_check + foreign_key_check; PostgreSQL: constraints and catalog) on one database or all; exit code 1 on any problem")
      .argument("[db]", "database name (default: every database)"),
  ).action(async (name: string | undefined, options: JsonOption) => {
    const framework = await context.boot("read");
    requireKnownDatabase(framework, name);
    const entries = framework.databases.list().filter((entry) => name === undefined || entry.name === name);
    const reports: IntegrityReport[] = [];
    for (const entry of entries) reports.push(await checkIntegrity(entry, framework.settings));
    const failed = reports.filter((report) => !report.ok);
    output(options, { ok: failed.length === 0, databases: reports }, () => {
      const table = renderTable(
        ["database", "integrity", "foreign keys", "result"],
        reports.map((report) => [
          report.database,
          report.error ?? report.integrity.join("; "),
          report.foreign_key_violations.length === 0 ? "ok" : `${report.foreign_key_violations.length} violation(s)`,
          report.ok ? "ok" : "PROBLEM",
        ]),
      );
      const violations = reports.flatMap((report) => report.foreign_key_violations.slice(0, 20).map((violation) => `  ${report.database}: ${violation.table}${violation.rowid === null ? " row" : ` rowid ${violation.rowid}`} references a missing row of ${violation.parent}`));
      return violations.length > 0 ? `${table}\n\nforeign key violations:\n${violations.join("\n")}` : table;
    });
    if (failed.length > 0) throw new ReportedFailure("CHECK_FAILED", `Integrity problems in: ${failed.map((report) => report.database).join(", ")}.`);
  });
}
