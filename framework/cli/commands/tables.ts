import type { Command } from "commander";
import { listTables } from "../../inspection/list-tables";
import type { CliContext } from "../cli-context";
import { output, requireDatabase, withJson, type JsonOption } from "../command-helpers";
import { renderTable } from "../output";

/** `tables <db>`: the tables of one database with row and column counts. */
export function registerTables(program: Command, context: CliContext): void {
  withJson(program.command("tables").description("the tables of a database, with row and column counts").argument("<db>", "database name")).action(async (name: string, options: JsonOption) => {
    const framework = await context.boot("read");
    const database = requireDatabase(framework, name);
    const tables = await listTables(database);
    output(options, { database: name, tables }, () =>
      renderTable(
        ["table", "rows", "columns", "entity"],
        tables.map((table) => [table.name, table.rows, table.columns, table.declared ? "yes" : "no (not declared)"]),
      ),
    );
  });
}
