import { ResultAsync, type Result } from "neverthrow";
import type { EntityManager } from "typeorm";
import type { ModuleDatabase } from "../../../framework/database/module-database";
import { toDbError } from "../../../framework/errors/to-db-error";
import type { ScraperError } from "./scraper-error";

/** Carries a rule's error out of the transaction so that everything written so far rolls back. */
class RuleViolation {
  constructor(readonly error: ScraperError) {}
}

/**
 * Runs `work` in one write transaction of the scraper database. `work` returns a Result: an error
 * rolls back everything it wrote (so a change and its audit row always stand or fall together);
 * a thrown database error rolls back too and becomes its DbError (CONSTRAINT_VIOLATION, ...).
 */
export function writeTransaction<T>(database: ModuleDatabase, work: (manager: EntityManager) => Promise<Result<T, ScraperError>>): ResultAsync<T, ScraperError> {
  return ResultAsync.fromPromise(
    database.dataSource.transaction(async (manager) => {
      const outcome = await work(manager);
      if (outcome.isErr()) throw new RuleViolation(outcome.error);
      return outcome.value;
    }),
    (error): ScraperError => (error instanceof RuleViolation ? error.error : toDbError(error, database.name, "TRANSACTION_FAILED")),
  );
}

/** Runs a read on the default (gated) manager, turning anything thrown into a DbError. */
export function readQuery<T>(database: ModuleDatabase, work: (manager: EntityManager) => Promise<T>): ResultAsync<T, ScraperError> {
  return ResultAsync.fromPromise(work(database.dataSource.manager), (error): ScraperError => toDbError(error, database.name));
}
