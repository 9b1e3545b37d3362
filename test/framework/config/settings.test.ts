import { existsSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { BootError, bootFramework, loadSettings } from "../../../framework";
import { simpleModels } from "../../support/module-sources";
import { createTempRoot, type TempRoot } from "../../support/temp-root";

const SETTING_VARIABLES = [
  "SQLITE_JOURNAL_MODE",
  "SQLITE_SYNCHRONOUS",
  "SQLITE_CACHE_SIZE",
  "SQLITE_BUSY_TIMEOUT",
  "DATABASE_MAX_RETRIES",
  "DATABASE_RETRY_BASE_DELAY",
  "DATABASE_CONNECTION_TIMEOUT",
  "DATABASE_DIR",
  "MODULEDB_STRICT",
] as const;

/** Invalid values per variable: wrong words, fractions, out-of-range numbers, text where a number belongs. */
const INVALID_VALUES: readonly (readonly [string, string])[] = [
  ["SQLITE_JOURNAL_MODE", "FAST"],
  ["SQLITE_JOURNAL_MODE", "wal;DROP TABLE x"],
  ["SQLITE_SYNCHRONOUS", "SOMETIMES"],
  ["SQLITE_SYNCHRONOUS", "7"],
  ["SQLITE_CACHE_SIZE", "ten"],
  ["SQLITE_CACHE_SIZE", "1.5"],
  ["SQLITE_CACHE_SIZE", "99999999"],
  ["SQLITE_BUSY_TIMEOUT", "-1"],
  ["SQLITE_BUSY_TIMEOUT", "5ms"],
  ["DATABASE_MAX_RETRIES", "-3"],
  ["DATABASE_MAX_RETRIES", "many"],
  ["DATABASE_RETRY_BASE_DELAY", "0"],
  ["DATABASE_CONNECTION_TIMEOUT", "0"],
  ["DATABASE_CONNECTION_TIMEOUT", "2.5"],
  ["MODULEDB_STRICT", "maybe"],
];

describe("loadSettings", () => {
  it("defaults to WAL, NORMAL, ~10 MB cache, a short busy timeout and 5 retries", () => {
    const settings = loadSettings({}, {}, "/srv/app")._unsafeUnwrap();
    expect(settings.sqlite).toEqual({ journalMode: "WAL", synchronous: "NORMAL", cacheSize: -10_000, busyTimeoutMs: 50 });
    expect(settings.maxRetries).toBe(5);
    expect(settings.dataDir).toBe(path.resolve("/srv/app", "data"));
    expect(settings.strict).toBe(false);
  });

  it.each(INVALID_VALUES)("rejects %s=%s naming the variable", (variable, value) => {
    const error = loadSettings({}, { [variable]: value })._unsafeUnwrapErr();
    expect(error).toMatchObject({ code: "INVALID_SETTING", variable, value });
    expect(error.message).toContain(variable);
  });

  it("accepts valid values in any case, and options win over the environment", () => {
    const env = { SQLITE_JOURNAL_MODE: "delete", SQLITE_SYNCHRONOUS: "full", SQLITE_CACHE_SIZE: "2000", SQLITE_BUSY_TIMEOUT: "0", DATABASE_MAX_RETRIES: "0", DATABASE_DIR: "/var/db", MODULEDB_STRICT: "true" };
    const settings = loadSettings({}, env, "/srv")._unsafeUnwrap();
    expect(settings.sqlite).toEqual({ journalMode: "DELETE", synchronous: "FULL", cacheSize: 2000, busyTimeoutMs: 0 });
    expect(settings.maxRetries).toBe(0);
    expect(settings.dataDir).toBe("/var/db");
    expect(settings.strict).toBe(true);
    const overridden = loadSettings({ dataDir: "elsewhere", strict: false }, env, "/srv")._unsafeUnwrap();
    expect(overridden.dataDir).toBe("/srv/elsewhere");
    expect(overridden.strict).toBe(false);
  });
});

describe("settings through bootFramework (process.env)", () => {
  let temp: TempRoot | undefined;
  const saved = new Map(SETTING_VARIABLES.map((variable) => [variable, process.env[variable]]));

  afterEach(() => {
    for (const [variable, value] of saved) {
      if (value === undefined) delete process.env[variable];
      else process.env[variable] = value;
    }
    temp?.remove();
    temp = undefined;
  });

  function rootWithModule(): TempRoot {
    temp = createTempRoot("settings");
    temp.writeModuleFile("shop", "db-models.ts", simpleModels("shop", ["orders"]));
    return temp;
  }

  it.each(INVALID_VALUES)("boot rejects %s=%s with a BootError naming it, opening nothing", async (variable, value) => {
    const root = rootWithModule();
    process.env[variable] = value;
    const failure = await bootFramework({ rootDir: root.root, dataDir: root.dataDir }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(BootError);
    expect((failure as BootError).code).toBe("INVALID_SETTING");
    expect((failure as BootError).message).toContain(variable);
    expect((failure as BootError).problems).toEqual([variable]);
    expect(existsSync(root.dataDir)).toBe(false);
  });

  it("applies the default pragmas on every connection", async () => {
    const root = rootWithModule();
    for (const variable of SETTING_VARIABLES) delete process.env[variable];
    const framework = await bootFramework({ rootDir: root.root, dataDir: root.dataDir });
    try {
      for (const database of framework.databases.open()) {
        expect(database.pragmas()).toEqual({ journal_mode: "wal", synchronous: 1, cache_size: -10_000, temp_store: 2, foreign_keys: 1, busy_timeout: 50 });
      }
      expect(framework.databases.open().map((database) => database.name)).toEqual(["framework", "shop"]);
    } finally {
      await framework.shutdown();
    }
  });

  it("applies valid values from the environment and honours DATABASE_DIR", async () => {
    const root = rootWithModule();
    const dataDir = path.join(root.root, "from-env");
    Object.assign(process.env, { SQLITE_JOURNAL_MODE: "delete", SQLITE_SYNCHRONOUS: "FULL", SQLITE_CACHE_SIZE: "-4000", SQLITE_BUSY_TIMEOUT: "7", DATABASE_DIR: dataDir });
    const framework = await bootFramework({ rootDir: root.root });
    try {
      expect(framework.settings.dataDir).toBe(dataDir);
      const shop = framework.databases.get("shop")._unsafeUnwrap();
      expect(shop.file).toBe(path.join(dataDir, "shop.db"));
      expect(existsSync(path.join(dataDir, "framework.db"))).toBe(true);
      expect(shop.pragmas()).toEqual({ journal_mode: "delete", synchronous: 2, cache_size: -4000, temp_store: 2, foreign_keys: 1, busy_timeout: 7 });
    } finally {
      await framework.shutdown();
    }
  });
});
