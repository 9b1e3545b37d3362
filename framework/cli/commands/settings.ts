import type { Command } from "commander";
import { FRAMEWORK_DATABASE_NAME } from "../../discovery/database-name";
import { ModuleSettings } from "../../settings/module-settings";
import { settingVariable } from "../../settings/parse-setting";
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

/**
 * `settings:set <module> <key> <value>` and `settings:unset <module> <key>`: write or delete the
 * key's row in the framework database's `framework_settings` table, after checking it against the
 * module's declaration. Takes effect at the next boot; a `<MODULE>_<KEY>` variable still wins.
 */
export function registerSettingsWrite(program: Command, context: CliContext): void {
  withJson(
    program
      .command("settings:set")
      .description("store a module setting in the framework_settings table (checked against its declaration; used from the next boot unless <MODULE>_<KEY> is set)")
      .argument("<module>", "module name")
      .argument("<key>", "setting key, e.g. CACHE_CLEANUP_INTERVAL_MS")
      .argument("<value>", "the value, as text"),
  ).action(async (module: string, key: string, value: string, options: JsonOption) => {
    const framework = await context.boot("read");
    const checked = framework.resolve(ModuleSettings).checkStored(module, key, value);
    if (checked.isErr()) throw new CliFailure(checked.error.code, checked.error.message);
    const store = framework.databases.get(FRAMEWORK_DATABASE_NAME);
    if (store.isErr()) throw new CliFailure(store.error.code, store.error.message);
    await store.value.dataSource.query(
      "INSERT INTO framework_settings (module, key, value, updated_at) VALUES (?, ?, ?, CURRENT_TIMESTAMP) ON CONFLICT(module, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
      [module, key, checked.value],
    );
    output(options, { module, key, value: checked.value, stored: true }, () => `Stored ${module}.${key} = ${checked.value} in framework_settings; it applies from the next boot (${settingVariable(module, key)} still wins when set).`);
  });
  withJson(
    program
      .command("settings:unset")
      .description("delete a module setting's row from the framework_settings table (the default applies from the next boot)")
      .argument("<module>", "module name")
      .argument("<key>", "setting key"),
  ).action(async (module: string, key: string, options: JsonOption) => {
    const framework = await context.boot("read");
    const store = framework.databases.get(FRAMEWORK_DATABASE_NAME);
    if (store.isErr()) throw new CliFailure(store.error.code, store.error.message);
    const removed = (await store.value.dataSource.query("DELETE FROM framework_settings WHERE module = ? AND key = ? RETURNING id", [module, key])) as unknown[];
    output(options, { module, key, removed: removed.length > 0 }, () => (removed.length > 0 ? `Removed ${module}.${key} from framework_settings.` : `No stored value for ${module}.${key}.`));
  });
}
