import { QueryFailedError, type QueryRunner } from "typeorm";
import type { ModuleDatabase } from "../database/module-database";
import { ensureMigrationTable } from "./migration-table";

/** The last statement a migration sent, so a failure that is not itself a query can still be placed. */
export interface StatementTrace {
  last?: string;
}

type QueryFunction = QueryRunner["query"];

interface ForeignKeyViolation {
  table: string;
  rowid: number | null;
  parent: string;
}

async function foreignKeyViolations(runner: QueryRunner): Promise<ForeignKeyViolation[]> {
  return (await runner.query("PRAGMA foreign_key_check")) as ForeignKeyViolation[];
}

/**
 * Puts the connection in the mode SQLite's table-rebuild procedure needs; set outside any
 * transaction (SQLite ignores `foreign_keys` inside one).
 *
 * - `foreign_keys = OFF`: dropping the old copy of a parent table must not cascade into its children.
 * - `legacy_alter_table = ON`: renaming a table must not rewrite other tables' REFERENCES clauses
 *   (TypeORM's `down` renames the live table to `temporary_*` first; without this, every child
 *   table would end up pointing at the temporary copy that is dropped a moment later).
 */
export async function enterMigrationMode(runner: QueryRunner): Promise<void> {
  await runner.query("PRAGMA foreign_keys = OFF");
  await runner.query("PRAGMA legacy_alter_table = ON");
}

/** Restores the connection's normal mode after {@link enterMigrationMode}. */
export async function leaveMigrationMode(runner: QueryRunner): Promise<void> {
  await runner.query("PRAGMA legacy_alter_table = OFF");
  await runner.query("PRAGMA foreign_keys = ON");
}

/**
 * Runs migration work as one unit on a database: holding its gate (other callers of this process
 * wait), with foreign keys off so SQLite table rebuilds (drop old table, rename the copy) cannot
 * cascade deletes into child tables, inside one BEGIN IMMEDIATE transaction. Before committing,
 * the foreign keys are checked: work that left new dangling references is rolled back.
 * Any failure rolls everything back, so the database is exactly as it was.
 */
export async function inMigrationTransaction<T>(database: ModuleDatabase, work: (runner: QueryRunner, trace: StatementTrace) => Promise<T>): Promise<T> {
  return database.gate.run(async () => {
    const runner = database.dataSource.createQueryRunner();
    await ensureMigrationTable(runner);
    await enterMigrationMode(runner);
    const trace: StatementTrace = {};
    const gatedQuery = runner.query;
    try {
      await runner.startTransaction();
      const violationsBefore = (await foreignKeyViolations(runner)).length;
      runner.query = ((sql: string, ...rest: unknown[]) => {
        // Callers waiting for the gate go through here too; only the holder's statements are this work's.
        if (database.gate.isHeld()) trace.last = sql;
        return (gatedQuery as (...args: unknown[]) => Promise<unknown>)(sql, ...rest);
      }) as QueryFunction;
      let result: T;
      try {
        result = await work(runner, trace);
      } finally {
        runner.query = gatedQuery;
      }
      const violations = await foreignKeyViolations(runner);
      if (violations.length > violationsBefore) {
        const sample = violations.slice(0, 5).map((violation) => `${violation.table} row ${violation.rowid ?? "?"} → ${violation.parent}`);
        throw new Error(`it leaves ${violations.length - violationsBefore} new foreign key violation(s): ${sample.join(", ")}`);
      }
      await runner.commitTransaction();
      return result;
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      throw error;
    } finally {
      await leaveMigrationMode(runner);
    }
  });
}

/** The statement that failed: the query of a failed query, else the last one the work sent. */
export function failedStatement(error: unknown, trace: StatementTrace): string | undefined {
  if (error instanceof QueryFailedError && typeof error.query === "string") return error.query;
  return trace.last;
}
