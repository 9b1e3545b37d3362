import type { Command } from "commander";
import { describeTable } from "../../inspection/describe-table";
import type { CliContext } from "../cli-context";
import { output, requireDatabase, withJson, type JsonOption } from "../command-helpers";
import { CliFailure } from "../exit-codes";
import { renderTable } from "../output";

/** `schema <db> <table>`: columns, types, nullability, defaults, keys, indexes (unique constraints too), foreign keys and checks — the same description the HTTP schema route returns. */
export function registerSchema(program: Command, context: CliContext): void {
  withJson(
    program
      .command("schema")
      .description("a table's columns (type, nullability, default, keys), indexes, foreign keys and checks")
      .argument("<db>", "database name")
      .argument("<table>", "table name"),
  ).action(async (name: string, table: string, options: JsonOption) => {
    const framework = await context.boot("read");
    const described = await describeTable(requireDatabase(framework, name), table);
    if (described.isErr()) throw new CliFailure(described.error.code, described.error.message, described.error.details);
    const schema = described.value;
    output(options, schema, () =>
      [
        `${schema.database}.${schema.table}`,
        "",
        renderTable(
          ["column", "type", "nullable", "default", "primary", "unique", "generated"],
          schema.columns.map((column) => [
            column.name,
            column.length === null ? column.type : `${column.type}(${column.length})`,
            column.nullable ? "yes" : "no",
            column.default ?? "",
            column.primary ? "yes" : "",
            column.unique ? "yes" : "",
            column.generated ? (column.generation_strategy ?? "yes") : "",
          ]),
        ),
        "",
        schema.indexes.length === 0 ? "indexes: none" : renderTable(["index", "columns", "unique"], schema.indexes.map((index) => [index.name, index.columns.join(", "), index.unique ? "yes" : "no"])),
        "",
        schema.foreign_keys.length === 0
          ? "foreign keys: none"
          : renderTable(
              ["foreign key", "columns", "references", "on delete", "on update"],
              schema.foreign_keys.map((key) => [key.name ?? "", key.columns.join(", "), `${key.referenced_table}(${key.referenced_columns.join(", ")})`, key.on_delete ?? "", key.on_update ?? ""]),
            ),
        "",
        schema.checks.length === 0 ? "checks: none" : renderTable(["check", "expression"], schema.checks.map((check) => [check.name ?? "", check.expression])),
      ].join("\n"),
    );
  });
}
