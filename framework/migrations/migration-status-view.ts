import type { DatabaseMigrationStatus } from "./migration-service";

/** A database's migration status as the CLI's `--json` output and the HTTP API report it (snake_case). */
export interface MigrationStatusView {
  readonly database: string;
  readonly state: string;
  readonly applied: { name: string; description: string | null; applied_at: string; mode: "run" | "baseline" }[];
  readonly pending: { name: string; description: string | null }[];
  readonly missing: readonly string[];
  readonly drift: { kind: string; table: string; additive: boolean; description: string }[];
  readonly applied_at_boot: readonly string[];
}

/** The one outward shape of a migration status, shared by `migration:status --json` and `GET /api/v1/db/migrations/status`. */
export function viewMigrationStatus(status: DatabaseMigrationStatus): MigrationStatusView {
  return {
    database: status.database,
    state: status.state,
    applied: status.applied.map((entry) => ({ name: entry.name, description: entry.description, applied_at: entry.appliedAt, mode: entry.mode })),
    pending: status.pending.map((entry) => ({ name: entry.name, description: entry.description })),
    missing: status.missing,
    drift: status.drift.map((change) => ({ kind: change.kind, table: change.table, additive: change.additive, description: change.description })),
    applied_at_boot: status.appliedAtBoot,
  };
}
