import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadSettings } from "../../../framework/config/settings";
import { databaseLocation, selectEngine } from "../../../framework/engines/select-engine";

const cwd = "/srv/app";

function settingsFrom(env: Record<string, string>) {
  return loadSettings({}, env, cwd);
}

describe("selectEngine (DATABASE_URL / DATABASE_URL_<NAME>)", () => {
  it("unset DATABASE_URL means SQLite files in DATABASE_DIR, else ./data", () => {
    const unset = settingsFrom({})._unsafeUnwrap();
    expect(selectEngine(unset, "shop").kind).toBe("sqlite");
    expect(databaseLocation(unset, "shop")).toBe(path.join(cwd, "data", "shop.db"));
    const dir = settingsFrom({ DATABASE_DIR: "/var/lib/app" })._unsafeUnwrap();
    expect(databaseLocation(dir, "shop")).toBe("/var/lib/app/shop.db");
  });

  it("sqlite:///dir/ puts the files in that folder; an empty sqlite:// path falls back to DATABASE_DIR", () => {
    const settings = settingsFrom({ DATABASE_URL: "sqlite:///tmp/dbs/", DATABASE_DIR: "/ignored" })._unsafeUnwrap();
    expect(settings.dataDir).toBe("/tmp/dbs");
    expect(databaseLocation(settings, "shop")).toBe("/tmp/dbs/shop.db");
    expect(selectEngine(settings, "shop").capabilities).toMatchObject({ fileBased: true, needsWriteGate: true });
    const relative = settingsFrom({ DATABASE_URL: "sqlite://./state" })._unsafeUnwrap();
    expect(relative.dataDir).toBe(path.join(cwd, "state"));
    const bare = settingsFrom({ DATABASE_URL: "sqlite:///", DATABASE_DIR: "/var/x" })._unsafeUnwrap();
    expect(bare.dataDir).toBe("/var/x");
  });

  it("an explicit dataDir option wins over the folder of a sqlite URL", () => {
    const settings = loadSettings({ dataDir: "/opt/explicit" }, { DATABASE_URL: "sqlite:///tmp/dbs/" }, cwd)._unsafeUnwrap();
    expect(databaseLocation(settings, "shop")).toBe("/opt/explicit/shop.db");
  });

  it("DATABASE_URL_<NAME> overrides DATABASE_URL for that database only", () => {
    const settings = settingsFrom({ DATABASE_URL: "sqlite:///tmp/a/", DATABASE_URL_LIBRARY: "postgres://app:s3cret@db.local:5432/main" })._unsafeUnwrap();
    expect(selectEngine(settings, "shop").kind).toBe("sqlite");
    const library = selectEngine(settings, "library");
    expect(library.kind).toBe("postgres");
    expect(library.capabilities).toMatchObject({ fileBased: false, sharedByProcesses: true });
    expect(databaseLocation(settings, "library")).not.toContain("s3cret");
    expect(databaseLocation(settings, "library")).toContain("db.local:5432");
  });

  it.each([
    ["DATABASE_URL", "mysql://root:pw@x/db", "unknown engine 'mysql'"],
    ["DATABASE_URL", "not a url", "not a URL"],
    ["DATABASE_URL", "postgres:///nohost", "no server host"],
    ["DATABASE_URL", "postgres://u:pw@h/db?schema=Bad-Name", "schema"],
    ["DATABASE_URL_SHOP", "redis://u:pw@h/0", "unknown engine 'redis'"],
    ["DATABASE_URL_Bad.Name", "sqlite:///tmp/", "not a DATABASE_NAME"],
  ])("%s=%s is INVALID_SETTING naming the variable (%s), password never shown", (variable, value, why) => {
    const result = settingsFrom({ [variable]: value });
    expect(result.isErr()).toBe(true);
    const error = result._unsafeUnwrapErr();
    expect(error).toMatchObject({ code: "INVALID_SETTING", variable });
    expect(error.message).toContain(variable);
    expect(error.message).toContain(why);
    expect(JSON.stringify(error)).not.toMatch(/:pw@/);
  });

  it("redacts a password even from a URL that does not parse", () => {
    const error = settingsFrom({ DATABASE_URL: "postgres://app:hunter2@[bad/db" })._unsafeUnwrapErr();
    expect(JSON.stringify(error)).not.toContain("hunter2");
  });
});
