import type { QueryRunner } from "typeorm";
import { dialectOf } from "../engines/sql-dialect";
import { isInternalTable } from "../schema/schema-diff";
import type { AppliedMigration } from "./migration-types";

/** The table in which every database records the migrations applied to it. */
export const MIGRATIONS_TABLE = "moduledb_migrations";

interface AppliedRow {
  name: string;
  description: string | null;
  applied_at: string;
  mode: string;
}

/** Creates the tracking table when missing (idempotent, safe to race with another process). */
export async function ensureMigrationTable(runner: QueryRunner): Promise<void> {
  await runner.query(
    `CREATE TABLE IF NOT EXISTS "${MIGRATIONS_TABLE}" (` +
      `${dialectOf(runner.connection).catalog.autoIncrementKey("id")}, ` +
      `"name" varchar(255) NOT NULL UNIQUE, ` +
      `"description" text, ` +
      `"applied_at" varchar(30) NOT NULL, ` +
      `"mode" varchar(10) NOT NULL DEFAULT 'run')`,
  );
}

/** True when the database has a migrations table (it was migrated or baselined before, even if every migration was reverted since). */
export async function hasMigrationTable(runner: QueryRunner): Promise<boolean> {
  return (await dialectOf(runner.connection).catalog.tableNames(runner)).includes(MIGRATIONS_TABLE);
}

/** The applied migrations, oldest first (in the order they were applied). */
export async function readAppliedMigrations(runner: QueryRunner): Promise<AppliedMigration[]> {
  if (!(await runner.hasTable(MIGRATIONS_TABLE))) return [];
  const rows = (await runner.query(`SELECT "name", "description", "applied_at", "mode" FROM "${MIGRATIONS_TABLE}" ORDER BY "id"`)) as AppliedRow[];
  return rows.map((row) => ({ name: row.name, description: row.description, appliedAt: row.applied_at, mode: row.mode === "baseline" ? "baseline" : "run" }));
}

/** True when the named migration is recorded; read inside a transaction to decide whether to run it. */
export async function isApplied(runner: QueryRunner, name: string): Promise<boolean> {
  const rows = (await runner.query(positional(runner, `SELECT 1 FROM "${MIGRATIONS_TABLE}" WHERE "name" = ?`), [name])) as unknown[];
  return rows.length > 0;
}

/** Records a migration as applied. */
export async function recordApplied(runner: QueryRunner, name: string, description: string | null, mode: AppliedMigration["mode"]): Promise<void> {
  await runner.query(positional(runner, `INSERT INTO "${MIGRATIONS_TABLE}" ("name", "description", "applied_at", "mode") VALUES (?, ?, ?, ?)`), [name, description, new Date().toISOString(), mode]);
}

/** Removes a migration's record after its `down` ran. */
export async function removeApplied(runner: QueryRunner, name: string): Promise<void> {
  await runner.query(positional(runner, `DELETE FROM "${MIGRATIONS_TABLE}" WHERE "name" = ?`), [name]);
}

/** True when the database holds any table besides the framework's and the engine's own. */
export async function hasUserTables(runner: QueryRunner): Promise<boolean> {
  return (await dialectOf(runner.connection).catalog.tableNames(runner)).some((name) => !isInternalTable(name));
}

/** `sql` with its `?` placeholders in the style of the runner's engine. */
function positional(runner: QueryRunner, sql: string): string {
  return dialectOf(runner.connection).positional(sql);
}
