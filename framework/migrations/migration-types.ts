import type { MigrationInterface } from "typeorm";

/** A migration as a module writes it: a TypeORM migration class, optionally with a `description`. */
export type MigrationClass = new () => MigrationInterface & { description?: string; initial?: boolean };

/** A migration file found in a module's `migrations/` folder and loaded. */
export interface LoadedMigration {
  /** The migration's unique name: its `name` property, or its class name. */
  readonly name: string;
  readonly description: string | null;
  /** Absolute path of the file it came from. */
  readonly file: string;
  /** The module whose `migrations/` folder holds it. */
  readonly module: string;
  /**
   * True for a module's first migration that creates its whole schema (`initial = true` on the
   * class, written by `migration:generate` against an empty database). On a database whose tables
   * already exist (created from the entities before the module shipped migrations) it is recorded
   * as `baseline` instead of run, like Django's initial migrations.
   */
  readonly initial: boolean;
  readonly instance: MigrationInterface;
}

/** One row of a database's `moduledb_migrations` table. */
export interface AppliedMigration {
  readonly name: string;
  readonly description: string | null;
  /** ISO-8601 time it was applied. */
  readonly appliedAt: string;
  /** `run` when its `up` ran; `baseline` when a fresh database was created from the entities and the migration recorded as already contained. */
  readonly mode: "run" | "baseline";
}

/** A migration applied by a run, with how long it took. */
export interface MigrationOutcome {
  readonly name: string;
  readonly description: string | null;
  readonly durationMs: number;
}
