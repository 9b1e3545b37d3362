import type { DependencyContainer } from "tsyringe";
import type { ModuleDatabase } from "../database/module-database";

/** What a seed script receives: its module's database and the framework's container. */
export interface SeedContext {
  readonly database: ModuleDatabase;
  readonly container: DependencyContainer;
}

/**
 * A seed script's `seed` export. It must be idempotent: running it again changes nothing. It may
 * return how many rows it created per table, for the report.
 */
export type SeedFunction = (context: SeedContext) => Promise<Readonly<Record<string, number>> | void>;

/** Why seeding did not happen or stopped. */
export type SeedErrorCode = "DATABASE_NOT_FOUND" | "DATABASE_UNAVAILABLE" | "SEED_LOAD_FAILED" | "SEED_FAILED";

/** The error half of seed Results. */
export interface SeedError {
  readonly code: SeedErrorCode;
  readonly message: string;
  readonly database?: string;
  /** The seed file concerned. */
  readonly seed?: string;
}

/** What one seed script did. */
export interface SeedOutcome {
  readonly database: string;
  readonly module: string;
  /** The seed's file name without extension. */
  readonly seed: string;
  /** Rows created per table, as the seed reported them (empty when it reported nothing). */
  readonly created: Readonly<Record<string, number>>;
}
