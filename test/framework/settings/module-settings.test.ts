import Database from "better-sqlite3";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { bootFramework, ModuleSettings } from "../../../framework";
import { checkSettingsDeclaration } from "../../../framework/settings/check-declaration";
import { startApi } from "../../support/http-harness";
import { createModuleRoot } from "../../support/module-root";
import { createCompiledRoot, runCli } from "../../support/run-cli";
import type { TempRoot } from "../../support/temp-root";

/** A module whose service receives its settings by injection, as module authors write it. */
const WIDGETS_MODELS = `import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";
export const DATABASE_NAME = "widgets";
@Entity({ name: "widgets" })
export class Widget {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: "varchar", length: 50 }) name: string;
}
`;
const WIDGETS_MODULE = `import { injectable } from "tsyringe";
import { defineSettings, InjectModuleSettings, type SettingsValues } from "../../framework";
export const settings = defineSettings({
  PAGE_LIMIT: { type: "integer", default: 25, min: 1, max: 500, description: "Widgets per page." },
  GREETING: { type: "string", default: "hello", description: "What the widget says." },
  LOUD: { type: "boolean", default: false, description: "Shout the greeting." },
  MODE: { type: "string", default: "fast", choices: ["fast", "safe"], description: "How widgets are made." },
  SECRET: { type: "string", default: "", sensitive: true, description: "A token never listed." },
});
@injectable()
export class WidgetService {
  constructor(@InjectModuleSettings("widgets") readonly settings: SettingsValues<typeof settings>) {}
}
export const services = [WidgetService];
`;

const VARIABLES = ["WIDGETS_PAGE_LIMIT", "WIDGETS_GREETING", "WIDGETS_LOUD", "WIDGETS_SECRET", "DOCS_CACHE_CLEANUP_INTERVAL_MS"];

describe("module settings: declared by modules, from env / framework_settings / default, checked at boot, injected", () => {
  let temp: TempRoot;
  beforeAll(() => {
    temp = createModuleRoot("settings", ["docs", "ciap"]);
    temp.writeModuleFile("widgets", "db-models.ts", WIDGETS_MODELS);
    temp.writeModuleFile("widgets", "module.ts", WIDGETS_MODULE);
  });
  afterEach(() => {
    for (const variable of VARIABLES) delete process.env[variable];
  });
  afterAll(() => temp.remove());

  async function widgetSettings(): Promise<{ values: Record<string, unknown>; healthy: Record<string, boolean>; problems: string }> {
    const framework = await bootFramework({ rootDir: temp.root, dataDir: temp.dataDir });
    try {
      const module = await import(`${temp.root}/modules/widgets/module.ts`);
      const healthy = Object.fromEntries(framework.modules.map((entry) => [entry.name, entry.healthy]));
      const problems = framework.modules.flatMap((entry) => entry.problems).join(" ");
      const values = healthy.widgets ? { ...(framework.resolve(module.WidgetService) as { settings: Record<string, unknown> }).settings } : {};
      return { values, healthy, problems };
    } finally {
      await framework.shutdown();
    }
  }

  it("defaults, then framework_settings rows, then WIDGETS_<KEY> variables win; the service receives typed values", async () => {
    expect((await widgetSettings()).values).toEqual({ PAGE_LIMIT: 25, GREETING: "hello", LOUD: false, MODE: "fast", SECRET: "" });

    const raw = new Database(`${temp.dataDir}/framework.db`);
    raw.prepare("INSERT INTO framework_settings (module, key, value) VALUES ('widgets', 'PAGE_LIMIT', '40'), ('widgets', 'LOUD', 'yes')").run();
    raw.close();
    expect((await widgetSettings()).values).toMatchObject({ PAGE_LIMIT: 40, LOUD: true });

    process.env.WIDGETS_PAGE_LIMIT = "7";
    process.env.WIDGETS_GREETING = "hi there";
    expect((await widgetSettings()).values).toMatchObject({ PAGE_LIMIT: 7, GREETING: "hi there", LOUD: true });
  });

  it("an invalid value marks only its module unhealthy, naming the key and the variable", async () => {
    process.env.WIDGETS_PAGE_LIMIT = "lots";
    const outcome = await widgetSettings();
    expect(outcome.healthy).toEqual({ ciap: true, docs: true, widgets: false });
    expect(outcome.problems).toContain("Invalid WIDGETS_PAGE_LIMIT='lots' (setting PAGE_LIMIT, from environment variable WIDGETS_PAGE_LIMIT): expected an integer from 1 to 500.");

    delete process.env.WIDGETS_PAGE_LIMIT;
    process.env.DOCS_CACHE_CLEANUP_INTERVAL_MS = "5";
    const docsBad = await widgetSettings();
    expect(docsBad.healthy).toEqual({ ciap: true, docs: false, widgets: true });
    expect(docsBad.problems).toContain("DOCS_CACHE_CLEANUP_INTERVAL_MS");

    // A bad row in the table is named as such.
    delete process.env.DOCS_CACHE_CLEANUP_INTERVAL_MS;
    const raw = new Database(`${temp.dataDir}/framework.db`);
    raw.prepare("UPDATE framework_settings SET value = 'maybe' WHERE module = 'widgets' AND key = 'LOUD'").run();
    raw.close();
    const tableBad = await widgetSettings();
    expect(tableBad.healthy.widgets).toBe(false);
    expect(tableBad.problems).toContain("(setting LOUD, from framework_settings row widgets.LOUD): expected a boolean");
    const fix = new Database(`${temp.dataDir}/framework.db`);
    fix.prepare("DELETE FROM framework_settings").run();
    fix.close();
  });

  it("GET /api/v1/db/settings lists every setting (type, default, description, value, source); sensitive values are masked; ?module= narrows; unknown module is 404", async () => {
    process.env.WIDGETS_SECRET = "s3cret";
    process.env.WIDGETS_LOUD = "on";
    const api = await startApi(temp);
    try {
      const response = await fetch(`${api.url}/api/v1/db/settings`);
      expect(response.status).toBe(200);
      const body = (await response.json()) as { settings: Record<string, unknown>[] };
      expect(body.settings.map((setting) => `${setting.module}.${setting.key}`)).toEqual([
        "docs.CACHE_CLEANUP_INTERVAL_MS",
        "widgets.GREETING",
        "widgets.LOUD",
        "widgets.MODE",
        "widgets.PAGE_LIMIT",
        "widgets.SECRET",
      ]);
      expect(body.settings[0]).toEqual({
        module: "docs",
        key: "CACHE_CLEANUP_INTERVAL_MS",
        variable: "DOCS_CACHE_CLEANUP_INTERVAL_MS",
        type: "integer",
        default: 60000,
        description: expect.stringContaining("expired search_cache rows"),
        value: 60000,
        source: "default",
      });
      expect(body.settings.find((setting) => setting.key === "LOUD")).toMatchObject({ value: true, source: "env", default: false });
      expect(body.settings.find((setting) => setting.key === "SECRET")).toMatchObject({ value: "***", source: "env" });
      expect(JSON.stringify(body)).not.toContain("s3cret");

      const narrowed = (await (await fetch(`${api.url}/api/v1/db/settings?module=docs`)).json()) as { settings: unknown[] };
      expect(narrowed.settings).toHaveLength(1);
      const unknown = await fetch(`${api.url}/api/v1/db/settings?module=nope`);
      expect(unknown.status).toBe(404);
      expect(((await unknown.json()) as { error: { code: string; details: unknown } }).error).toMatchObject({ code: "MODULE_NOT_FOUND", details: { module: "nope" } });
    } finally {
      await api.stop();
    }
  });

  it("refuses a malformed declaration at discovery (INVALID_SETTINGS), naming the key", () => {
    expect(checkSettingsDeclaration({ page: { type: "integer", default: 1, description: "x" } })).toEqual({ problem: expect.stringContaining("setting key 'page'") });
    expect(checkSettingsDeclaration({ PAGE: { type: "float", default: 1, description: "x" } })).toEqual({ problem: expect.stringContaining("PAGE: type must be one of") });
    expect(checkSettingsDeclaration({ PAGE: { type: "integer", default: "1", description: "x" } })).toEqual({ problem: "setting PAGE: default must be a integer." });
    expect(checkSettingsDeclaration({ PAGE: { type: "integer", default: 0, min: 1, description: "x" } })).toEqual({ problem: expect.stringContaining("default 0 is invalid") });
    expect(checkSettingsDeclaration({ PAGE: { type: "integer", default: 1 } })).toEqual({ problem: "setting PAGE: description must be a non-empty string." });
    const resolved = ModuleSettings.resolve([{ name: "m", settings: { FLAG: { type: "boolean", default: false, description: "d" } } }], { M_FLAG: "maybe" }, []);
    expect(resolved.problems("m")).toEqual([expect.stringContaining("Invalid M_FLAG='maybe'")]);
    expect(resolved.values("m")).toEqual({ FLAG: false });
  });
});

describe("moduledb settings (real CLI process)", () => {
  const temp = createCompiledRoot("cli-settings", ["docs"]);
  const paths = ["--root", temp.root, "--data", temp.dataDir];
  afterAll(() => temp.remove());

  it("--json lists every setting with type, default, description, current value and source; a module filter; unknown module exits 1", async () => {
    const json = await runCli(["settings", "--json", ...paths], { DOCS_CACHE_CLEANUP_INTERVAL_MS: "1500" });
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({
      settings: [
        {
          module: "docs",
          key: "CACHE_CLEANUP_INTERVAL_MS",
          variable: "DOCS_CACHE_CLEANUP_INTERVAL_MS",
          type: "integer",
          default: 60000,
          description: expect.any(String),
          value: 1500,
          source: "env",
        },
      ],
    });
    const human = await runCli(["settings", "docs", ...paths], { DOCS_CACHE_CLEANUP_INTERVAL_MS: "never" });
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/^docs\s+CACHE_CLEANUP_INTERVAL_MS\s+integer\s+60000\s+env\s+60000\s+DOCS_CACHE_CLEANUP_INTERVAL_MS/m);
    expect(human.stdout).toContain("INVALID: Invalid DOCS_CACHE_CLEANUP_INTERVAL_MS='never'");
    const unknown = await runCli(["settings", "nope", ...paths]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("error [MODULE_NOT_FOUND]: Module 'nope' not found. Available modules: docs.");
  });

  it("settings:set checks the value against the declaration and stores it in framework_settings; settings:unset removes it", async () => {
    const stored = await runCli(["settings:set", "docs", "CACHE_CLEANUP_INTERVAL_MS", "2500", ...paths]);
    expect(stored.code, stored.stderr).toBe(0);
    const listed = JSON.parse((await runCli(["settings", "docs", "--json", ...paths])).stdout) as { settings: { value: unknown; source: string }[] };
    expect(listed.settings[0]).toMatchObject({ value: 2500, source: "table" });
    // The environment still wins over the table.
    const env = JSON.parse((await runCli(["settings", "docs", "--json", ...paths], { DOCS_CACHE_CLEANUP_INTERVAL_MS: "700" })).stdout) as { settings: { value: unknown; source: string }[] };
    expect(env.settings[0]).toMatchObject({ value: 700, source: "env" });

    const invalid = await runCli(["settings:set", "docs", "CACHE_CLEANUP_INTERVAL_MS", "soon", ...paths]);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toContain("error [INVALID_SETTING]: Invalid value 'soon' for setting docs.CACHE_CLEANUP_INTERVAL_MS: expected an integer from 10 to 86400000.");
    const noKey = await runCli(["settings:set", "docs", "NOPE", "1", ...paths]);
    expect(noKey.stderr).toContain("error [SETTING_NOT_FOUND]: Module 'docs' has no setting 'NOPE'. Its settings: CACHE_CLEANUP_INTERVAL_MS.");
    // Refusals changed nothing.
    expect((JSON.parse((await runCli(["settings", "docs", "--json", ...paths])).stdout) as { settings: { value: unknown }[] }).settings[0]?.value).toBe(2500);

    expect((await runCli(["settings:unset", "docs", "CACHE_CLEANUP_INTERVAL_MS", ...paths])).code).toBe(0);
    expect((JSON.parse((await runCli(["settings", "docs", "--json", ...paths])).stdout) as { settings: { source: string }[] }).settings[0]?.source).toBe("default");
  });
});
