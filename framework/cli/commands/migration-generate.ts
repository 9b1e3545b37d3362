import path from "node:path";
import type { Command } from "commander";
import { viewGeneratedMigration } from "../../migrations/generated-migration-view";
import { MigrationService } from "../../migrations/migration-service";
import type { CliContext } from "../cli-context";
import { migrationFailure, output, withJson, type JsonOption } from "../command-helpers";

/** `migration:generate <db> <message>`: writes a migration for the difference between entities and schema. */
export function registerMigrationGenerate(program: Command, context: CliContext): void {
  withJson(
    program
      .command("migration:generate")
      .description("diff a database's entities against its schema and write modules/<m>/migrations/<timestamp>-<message>.ts (nothing when they agree)")
      .argument("<db>", "database name")
      .argument("<message>", "what the migration does; names the file and class"),
  ).action(async (name: string, message: string, options: JsonOption) => {
    // A read boot: generating only reads the schema (and writes a file under modules/). A write boot
    // would first apply the additive schema step, and a new column or index would then never be
    // seen, so no migration could be generated for it.
    const framework = await context.boot("read");
    const result = await framework.resolve(MigrationService).generate(name, message);
    if (result.isErr()) throw migrationFailure(result.error);
    const generated = result.value;
    const view = viewGeneratedMigration(generated);
    output(options, view, () => {
      if (!generated.written) return `Nothing to generate: database '${name}' already matches its entities. No file written.`;
      const lines = [`Wrote ${path.relative(process.cwd(), generated.file ?? "") || generated.file} (${generated.name}).`, "", "Changes:", ...view.changes.map((change) => `  - ${change}`)];
      if (view.notes.length > 0) lines.push("", "Review before running:", ...view.notes.map((note) => `  - ${note}`));
      lines.push("", generated.needsBuild ? `Rebuild (npm run build), then apply it with: npm run db -- migration:run ${name}` : `Apply it with: npm run db -- migration:run ${name} (boot also applies pending migrations).`);
      return lines.join("\n");
    });
  });
}
