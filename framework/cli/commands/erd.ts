import type { Command } from "commander";
import { erdOf, ERD_FORMATS, renderDiagramDocument, renderErd, type ErdFormat } from "../../erd";
import type { CliContext } from "../cli-context";
import { requireDatabase } from "../command-helpers";
import { CliFailure, EXIT_USAGE } from "../exit-codes";

/** What `--format` accepts: the three diagram formats plus `markdown`, the page docs/diagrams/ holds. */
const CLI_FORMATS = [...ERD_FORMATS, "markdown"] as const;
type CliFormat = ErdFormat | "markdown";

function isCliFormat(value: string): value is CliFormat {
  return (CLI_FORMATS as readonly string[]).includes(value);
}

/**
 * `erd [db] --format mermaid|svg|dot|markdown`: the entity-relationship diagram generated from the
 * entity metadata. Without a database, every ready database in turn (mermaid, dot, markdown); an
 * SVG is one document, so it needs the database named unless there is only one.
 */
export function registerErd(program: Command, context: CliContext): void {
  program
    .command("erd")
    .description("the ER diagram of a database (tables, columns, keys, relations) generated from its entities")
    .argument("[db]", "database name (default: every database)")
    .option("--format <format>", `one of ${CLI_FORMATS.join(", ")}`, "mermaid")
    .action(async (name: string | undefined, options: { format: string }) => {
      if (!isCliFormat(options.format)) {
        throw new CliFailure("INVALID_FORMAT", `Unknown format '${options.format}'. Use one of: ${CLI_FORMATS.join(", ")}.`, { format: options.format, formats: CLI_FORMATS }, EXIT_USAGE);
      }
      const format = options.format;
      const framework = await context.boot("read");
      const names = name === undefined ? framework.databases.readyNames() : [name];
      if (format === "svg" && names.length > 1) {
        throw new CliFailure("DATABASE_REQUIRED", `An SVG holds one diagram; name the database: ${names.join(", ")}.`, { available_databases: names }, EXIT_USAGE);
      }
      const documents = names.map((databaseName) => {
        const model = erdOf(requireDatabase(framework, databaseName));
        return format === "markdown" ? renderDiagramDocument(model) : renderErd(model, format);
      });
      process.stdout.write(documents.join("\n"));
    });
}
