import { QueryFailedError, type QueryRunner } from "typeorm";
import type { ModuleDatabase } from "../database/module-database";
import { dialectOf, type CatalogForeignKeyViolation } from "../engines/sql-dialect";
import { ensureMigrationTable } from "./migration-table";

/** The last statement a migration sent, so a failure that is not itself a query can still be placed. */
export interface StatementTrace {
  last?: string;
}

type QueryFunction = QueryRunner["query"];

function foreignKeyViolations(runner: QueryRunner): Promise<CatalogForeignKeyViolation[]> {
  return dialectOf(runner.connection).catalog.foreignKeyViolations(runner);
}

/**
 * Puts the connection in the mode the engine's table rebuilds need, outside any transaction
 * (SQLite: foreign keys off and legacy ALTER TABLE, so rebuilding a parent table neither cascades
 * into its children nor rewrites their REFERENCES; PostgreSQL needs nothing).
 */
export async function enterMigrationMode(runner: QueryRunner): Promise<void> {
  await dialectOf(runner.connection).catalog.enterMigrationMode(runner);
}

/** Restores the connection's normal mode after {@link enterMigrationMode}. */
export async function leaveMigrationMode(runner: QueryRunner): Promise<void> {
  await dialectOf(runner.connection).catalog.leaveMigrationMode(runner);
}

/**
 * Runs migration work as one unit on a database: holding its gate (other callers of this process
 * wait), in the engine's migration mode (SQLite: foreign keys off, so table rebuilds — drop old
 * table, rename the copy — cannot cascade deletes into child tables), inside one write transaction. Before committing,
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
