import type { Command } from "commander";
import { ModuleSettings } from "../../settings/module-settings";
import type { CliContext } from "../cli-context";
import { output, withJson, type JsonOption } from "../command-helpers";
import { CliFailure } from "../exit-codes";
import { renderTable } from "../output";

/** `settings [module] [--json]`: every module setting with its type, default, description, current value and source. */
export function registerSettings(program: Command, context: CliContext): void {
  withJson(
    program
      .command("settings")
      .description("module settings: type, default, description, current value and where it came from (env <MODULE>_<KEY>, the framework_settings table, or the default)")
      .argument("[module]", "only this module's settings"),
  ).action(async (module: string | undefined, options: JsonOption) => {
    const framework = await context.boot("read");
    const listed = framework.resolve(ModuleSettings).list(module);
    if (listed.isErr()) throw new CliFailure(listed.error.code, listed.error.message);
    const settings = listed.value;
    output(options, { settings }, () =>
      settings.length === 0
        ? "No module declares settings."
        : [
            renderTable(
              ["module", "key", "type", "value", "source", "default", "variable", "description"],
              settings.map((setting) => [setting.module, setting.key, setting.type, String(setting.value), setting.source, String(setting.default), setting.variable, setting.description]),
            ),
            ...settings.flatMap((setting) => (setting.problem === undefined ? [] : [`INVALID: ${setting.problem}`])),
          ].join("\n"),
    );
  });
}
