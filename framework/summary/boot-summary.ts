import type { Framework } from "../boot/framework";
import type { DatabaseEntry } from "../database/database-registry";
import { quoteIdentifier } from "../crud/sql-identifier";
import { toDbError } from "../errors/to-db-error";

/** One database as the boot summary shows it. */
export interface DatabaseSummary {
  readonly name: string;
  readonly state: string;
  readonly file: string;
  readonly healthy: boolean;
  readonly tables: readonly { readonly name: string; readonly rows: number }[];
  readonly problems: readonly string[];
  /** The code calls get while the database is refused for its file (DATABASE_CORRUPT, DATABASE_EMPTIED, ...). */
  readonly refusal?: string;
}

function refusalOf(entry: DatabaseEntry): { refusal?: string } {
  return entry.refusal === undefined ? {} : { refusal: entry.refusal.code };
}

/** Gathers databases, tables, row counts and health for the boot summary. */
export async function summarizeDatabases(framework: Framework): Promise<DatabaseSummary[]> {
  const summaries: DatabaseSummary[] = [];
  for (const entry of framework.databases.list()) {
    const database = entry.database;
    if (database === undefined || entry.state !== "ready") {
      summaries.push({ name: entry.name, state: entry.state, file: entry.file, healthy: false, tables: [], problems: entry.problems, ...refusalOf(entry) });
      continue;
    }
    const health = await database.health();
    try {
      const tables = await database.gate.run(async () =>
        Promise.all(
          database.tableNames().map(async (name) => {
            const [row] = (await database.dataSource.query(`SELECT COUNT(*) AS n FROM ${quoteIdentifier(name)}`)) as [{ n: number }];
            return { name, rows: row.n };
          }),
        ),
      );
      summaries.push({ name: entry.name, state: entry.state, file: entry.file, healthy: health.healthy, tables, problems: entry.problems });
    } catch (error) {
      // A count that fails (a corrupt page refuses the database on the spot) is reported, never fatal.
      const problem = toDbError(error, entry.name).message;
      const problems = entry.problems.includes(problem) ? entry.problems : [...entry.problems, problem];
      summaries.push({ name: entry.name, state: entry.state, file: entry.file, healthy: false, tables: [], problems, ...refusalOf(entry) });
    }
  }
  return summaries;
}

/** Lays entries out as `a · b · c` lines no wider than `width`, each starting with `indent`. */
function wrapEntries(entries: readonly string[], indent: string, width = 100): string[] {
  const lines: string[] = [];
  let current = "";
  for (const entry of entries) {
    const candidate = current === "" ? entry : `${current} · ${entry}`;
    if (current !== "" && indent.length + candidate.length > width) {
      lines.push(indent + current);
      current = entry;
    } else {
      current = candidate;
    }
  }
  if (current !== "") lines.push(indent + current);
  return lines;
}

/**
 * Renders the one-screen summary `npm start` prints: modules, then each database with its tables
 * and row counts and every change boot applied to it on its own (migrations run or baselined,
 * tables, columns and indexes created).
 */
export function renderSummary(framework: Framework, databases: readonly DatabaseSummary[]): string {
  const lines: string[] = [];
  lines.push(`moduledb — ${framework.modules.length} module(s), ${databases.length} database(s) in ${framework.settings.dataDir}`);
  for (const module of framework.modules) {
    lines.push(`  module ${module.name.padEnd(16)} ${module.healthy ? "healthy  " : "UNHEALTHY"} ${module.database ?? "-"}`);
    for (const problem of module.problems) lines.push(`      ${problem}`);
  }
  for (const database of databases) {
    const status = database.healthy ? "healthy" : [database.state.toUpperCase(), database.refusal].filter((part) => part !== undefined).join(" ");
    lines.push(`  database ${database.name.padEnd(14)} ${status.padEnd(9)} ${database.file}`);
    lines.push(...wrapEntries(database.tables.map((table) => `${table.name} ${table.rows}`), "      "));
    for (const change of framework.automaticChanges.filter((candidate) => candidate.database === database.name)) lines.push(`      applied at boot: ${change.description}`);
    for (const problem of database.problems) lines.push(`      ${problem}`);
  }
  return lines.join("\n");
}
