import type { DatabaseEntry } from "../database/database-registry";
import type { BootMigrationOutcome } from "../migrations/boot-migrations";
import type { SchemaChange } from "../schema/schema-change";

/** A change boot made to a database on its own: a migration it ran or baselined, a table, column or index it created. */
export interface AutomaticChange {
  readonly database: string;
  /** `migration_run`, `migration_baselined`, or the schema change's kind (`add_table`, `add_column`, `add_index`, `drop_index`). */
  readonly kind: string;
  readonly description: string;
}

/** What was done, in the past tense. */
function done(change: SchemaChange): string {
  switch (change.kind) {
    case "add_table":
      return `Created table '${change.table}'.`;
    case "add_column":
      return `Added column '${change.table}.${change.name ?? "?"}'.`;
    case "add_index":
      return `Created index '${change.name ?? "?"}' on '${change.table}'.`;
    case "drop_index":
      return `Dropped index '${change.name ?? "?"}' on '${change.table}' (no longer declared).`;
    default:
      return change.description;
  }
}

/** Every change boot applied without being asked, database by database, in the order they happened. */
export function automaticChanges(entries: readonly DatabaseEntry[], migrations: ReadonlyMap<string, BootMigrationOutcome>): AutomaticChange[] {
  const changes: AutomaticChange[] = [];
  for (const entry of entries) {
    const outcome = migrations.get(entry.name);
    for (const name of outcome?.applied ?? []) changes.push({ database: entry.name, kind: "migration_run", description: `Ran migration ${name}.` });
    for (const name of outcome?.baselined ?? []) changes.push({ database: entry.name, kind: "migration_baselined", description: `Recorded migration ${name} as baseline (the database was created from the entities).` });
    for (const change of entry.applied) changes.push({ database: entry.name, kind: change.kind, description: done(change) });
  }
  return changes;
}
