import type { DataSource } from "typeorm";
import type { SqlInMemory } from "typeorm/driver/SqlInMemory";

/**
 * TypeORM's schema plan (the statements its synchronize would run), without its own rename
 * guessing. TypeORM takes a column whose type changed for a "rename" to the same name and, on
 * SQLite, rebuilds the table once for that non-rename and once more for the type change — in both
 * directions. The framework detects renames itself (`detect-renames`) and applies them before
 * asking for this plan, so the builder's `renameColumns` step is switched off.
 *
 * This leans on a private step of TypeORM's RdbmsSchemaBuilder; it lives here alone, and
 * `test/framework/migrations/type-change.test.ts` fails if TypeORM changes under it.
 */
export async function schemaBuilderPlan(dataSource: DataSource): Promise<SqlInMemory> {
  const builder = dataSource.driver.createSchemaBuilder();
  const steps = builder as unknown as { renameColumns?: () => Promise<void> };
  if (typeof steps.renameColumns !== "function") {
    throw new Error("TypeORM's schema builder no longer has a renameColumns step; review framework/migrations/schema-builder-plan.ts.");
  }
  steps.renameColumns = async () => undefined;
  return builder.log();
}
