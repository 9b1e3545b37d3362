import type { Command } from "commander";
import { openFrameworkDatabase } from "../../boot/open-framework-database";
import { loadSettings } from "../../config/settings";
import { forgetDatabase } from "../../system/forget-database";
import type { CliContext } from "../cli-context";
import { output, withJson, type JsonOption } from "../command-helpers";
import { CliFailure } from "../exit-codes";

/**
 * `forget <db>`: deletes the framework database's record of a database. A database whose file is
 * missing or empty while its tables are remembered is refused (DATABASE_EMPTIED); forgetting it is
 * the explicit "yes, start it empty" (the other way back is `moduledb restore`). Does not boot the
 * framework: only the framework database is opened.
 */
export function registerForget(program: Command, _context: CliContext): void {
  withJson(
    program
      .command("forget")
      .description("forget a database's remembered tables, so the next boot recreates a missing or empty file (instead of refusing it as DATABASE_EMPTIED)")
      .argument("<db>", "database name"),
  ).action(async (name: string, options: JsonOption) => {
    const global = program.opts<{ data?: string; root?: string }>();
    const settings = loadSettings({ ...(global.data === undefined ? {} : { dataDir: global.data }), ...(global.root === undefined ? {} : { rootDir: global.root }) });
    if (settings.isErr()) throw new CliFailure(settings.error.code, settings.error.message);
    const entry = await openFrameworkDatabase(settings.value);
    try {
      const tables = await forgetDatabase(entry.database, name);
      output(options, { database: name, forgotten: tables !== undefined, tables: tables ?? [] }, () =>
        tables === undefined
          ? `Nothing remembered for database '${name}'.`
          : `Forgot database '${name}' (tables: ${tables.join(", ") || "none"}). The next boot creates it if its file is missing or empty.`,
      );
    } finally {
      await entry.database.close();
    }
  });
}
