import type { GeneratedMigration } from "./generate-migration";

/** A generated migration as the CLI's `--json` output and the HTTP API report it (snake_case). */
export interface GeneratedMigrationView {
  readonly database: string;
  readonly written: boolean;
  readonly file: string | null;
  readonly name: string | null;
  readonly needs_build: boolean;
  readonly changes: string[];
  readonly notes: string[];
  readonly up: string[];
  readonly down: string[];
}

/** The one outward shape of a generated migration, shared by the CLI and the HTTP API. */
export function viewGeneratedMigration(generated: GeneratedMigration): GeneratedMigrationView {
  return {
    database: generated.database,
    written: generated.written,
    file: generated.file ?? null,
    name: generated.name ?? null,
    needs_build: generated.needsBuild,
    changes: generated.plan.changes.map((change) => change.description),
    notes: [...generated.plan.notes],
    up: generated.plan.up.map((statement) => statement.sql),
    down: generated.plan.down.map((statement) => statement.sql),
  };
}
