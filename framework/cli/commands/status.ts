import type { Command } from "commander";
import { fileSizes } from "../../inspection/file-sizes";
import { listTables, type TableInfo } from "../../inspection/list-tables";
import { MigrationService } from "../../migrations/migration-service";
import type { CliContext } from "../cli-context";
import { formatBytes, output, withJson, type JsonOption } from "../command-helpers";
import { renderTable } from "../output";

/** One database in `moduledb status`. */
interface DatabaseStatusView {
  name: string;
  state: string;
  file: string;
  size_bytes: number;
  wal_bytes: number;
  healthy: boolean;
  tables: TableInfo[];
  migrations: { applied: number; pending: number; pending_names: string[] } | null;
  problems: readonly string[];
  /** The code calls get while the database is refused for its file (DATABASE_CORRUPT, DATABASE_EMPTIED, ...). */
  refusal: string | null;
}

/** `status`: every database with its file, sizes, tables and row counts, migrations and health. */
export function registerStatus(program: Command, context: CliContext): void {
  withJson(program.command("status").description("every database: file, size, WAL size, tables with row counts, applied/pending migrations, health")).action(async (options: JsonOption) => {
    const framework = await context.boot("read");
    const statuses = await framework.resolve(MigrationService).status();
    const migrationsByName = new Map((statuses.isOk() ? statuses.value : []).map((status) => [status.database, status]));
    const views: DatabaseStatusView[] = [];
    for (const entry of framework.databases.list()) {
      const sizes = await fileSizes(entry.file);
      const database = entry.state === "ready" ? entry.database : undefined;
      const health = database === undefined ? undefined : await database.health();
      const migration = migrationsByName.get(entry.name);
      // A corrupt page found while counting refuses that database (named below); the others still report.
      const tables = database === undefined ? [] : await listTables(database).catch(() => []);
      views.push({
        name: entry.name,
        state: entry.state,
        file: entry.file,
        size_bytes: sizes.bytes,
        wal_bytes: sizes.walBytes,
        healthy: entry.state === "ready" && (health?.healthy ?? false),
        tables,
        migrations: migration === undefined ? null : { applied: migration.applied.length, pending: migration.pending.length, pending_names: migration.pending.map((pending) => pending.name) },
        problems: entry.problems,
        refusal: entry.refusal?.code ?? null,
      });
    }
    output(options, { databases: views }, () => {
      const summary = renderTable(
        ["database", "state", "health", "size", "wal", "tables", "rows", "applied", "pending", "file"],
        views.map((view) => [
          view.name,
          view.refusal === null ? view.state : `${view.state} ${view.refusal}`,
          view.healthy ? "ok" : "UNHEALTHY",
          formatBytes(view.size_bytes),
          formatBytes(view.wal_bytes),
          view.tables.length,
          view.tables.reduce((sum, table) => sum + table.rows, 0),
          view.migrations?.applied ?? "-",
          view.migrations?.pending ?? "-",
          view.file,
        ]),
      );
      const tables = renderTable(
        ["database", "table", "rows"],
        views.flatMap((view) => view.tables.map((table) => [view.name, table.name, table.rows])),
      );
      const problems = views.flatMap((view) => view.problems.map((problem) => `  ${view.name}: ${problem}`));
      return [summary, "", tables, ...(problems.length > 0 ? ["", "problems:", ...problems] : [])].join("\n");
    });
  });
}
