import { ResultAsync } from "neverthrow";
import type { DependencyContainer } from "tsyringe";
import type { DatabaseRegistry } from "../database/database-registry";
import type { MigrationTarget } from "../migrations/migration-target";
import { loadSeeds, type LoadedSeed } from "./load-seeds";
import type { SeedError, SeedOutcome } from "./seed-types";

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Runs the idempotent seed scripts of `modules/<m>/seeds/` against their module's database.
 * Registered in the framework's container; `moduledb seed [db]` uses it.
 */
export class SeedRunner {
  private readonly targets: Map<string, MigrationTarget>;

  constructor(
    private readonly registry: DatabaseRegistry,
    targets: readonly MigrationTarget[],
    private readonly container: DependencyContainer,
    private readonly extension: ".ts" | ".js",
  ) {
    this.targets = new Map(targets.map((target) => [target.database, target]));
  }

  /** Runs the seeds of one database, or of every database, in module then file order. Stops at the first failing seed. */
  run(database?: string): ResultAsync<SeedOutcome[], SeedError> {
    const names = [...this.targets.keys()].sort();
    const run = async (): Promise<SeedOutcome[]> => {
      if (database !== undefined && !this.targets.has(database)) {
        throw { code: "DATABASE_NOT_FOUND", message: `Database '${database}' not found. Available databases: ${names.join(", ")}.`, database } satisfies SeedError;
      }
      const outcomes: SeedOutcome[] = [];
      for (const name of database === undefined ? names : [database]) outcomes.push(...(await this.runDatabase(this.targets.get(name) as MigrationTarget)));
      return outcomes;
    };
    return ResultAsync.fromPromise(run(), (error) =>
      typeof error === "object" && error !== null && "code" in error && !(error instanceof Error) ? (error as SeedError) : { code: "SEED_FAILED", message: messageOf(error) },
    );
  }

  private async runDatabase(target: MigrationTarget): Promise<SeedOutcome[]> {
    const seeds: LoadedSeed[] = [];
    for (const module of target.modules) {
      try {
        seeds.push(...(await loadSeeds(module.name, module.directory, this.extension)));
      } catch (error) {
        throw { code: "SEED_LOAD_FAILED", message: messageOf(error), database: target.database } satisfies SeedError;
      }
    }
    if (seeds.length === 0) return [];
    const opened = this.registry.get(target.database);
    if (opened.isErr()) {
      // Seeding every database skips none silently: a database with seeds that is not ready is an error.
      throw { code: opened.error.code === "DATABASE_NOT_FOUND" ? "DATABASE_NOT_FOUND" : "DATABASE_UNAVAILABLE", message: opened.error.message, database: target.database } satisfies SeedError;
    }
    const outcomes: SeedOutcome[] = [];
    for (const loaded of seeds) {
      try {
        const created = (await loaded.seed({ database: opened.value, container: this.container })) ?? {};
        outcomes.push({ database: target.database, module: loaded.module, seed: loaded.name, created });
      } catch (error) {
        throw { code: "SEED_FAILED", message: `Seed '${loaded.name}' of module '${loaded.module}' failed: ${messageOf(error)}`, database: target.database, seed: loaded.file } satisfies SeedError;
      }
    }
    return outcomes;
  }
}
