import { readdirSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BootError, bootFramework, CrudService, type DiscoveryRule, type Framework } from "../../../framework";
import { simpleModels } from "../../support/module-sources";
import { createTempRoot, type TempRoot } from "../../support/temp-root";

/** One broken module folder: what its db-models file says and the rule it must be reported under. */
interface BrokenModule {
  readonly folder: string;
  readonly source: string;
  readonly rule: DiscoveryRule;
  /** Text the issue's message must contain. */
  readonly mentions: string;
  /** A `module.ts` written next to the db-models file; the issue then names that file. */
  readonly moduleSource?: string;
}

const ENTITY = `import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";
@Entity({ name: "things" }) export class Thing { @PrimaryGeneratedColumn() id: number; @Column({ type: "text" }) label: string; }`;

const BROKEN: readonly BrokenModule[] = [
  { folder: "no_name", source: ENTITY, rule: "MISSING_DATABASE_NAME", mentions: "DATABASE_NAME" },
  { folder: "upper_case", source: `${ENTITY}\nexport const DATABASE_NAME = "Upper";`, rule: "INVALID_DATABASE_NAME", mentions: '"Upper"' },
  { folder: "path_trick", source: `${ENTITY}\nexport const DATABASE_NAME = "../x";`, rule: "INVALID_DATABASE_NAME", mentions: '"../x"' },
  { folder: "too_long", source: `${ENTITY}\nexport const DATABASE_NAME = "${"a".repeat(64)}";`, rule: "INVALID_DATABASE_NAME", mentions: "a".repeat(64) },
  { folder: "not_string", source: `${ENTITY}\nexport const DATABASE_NAME = 42;`, rule: "INVALID_DATABASE_NAME", mentions: "42" },
  { folder: "reserved", source: `${ENTITY}\nexport const DATABASE_NAME = "framework";`, rule: "RESERVED_DATABASE_NAME", mentions: "reserved" },
  { folder: "empty", source: `export const DATABASE_NAME = "empty";\nexport class NotAnEntity {}`, rule: "NO_ENTITIES", mentions: "no @Entity" },
  { folder: "syntax", source: `export const DATABASE_NAME = "syntax";\nexport const broken = ;`, rule: "IMPORT_FAILED", mentions: "Import failed" },
  { folder: "throwing", source: `export const DATABASE_NAME = "throwing";\nthrow new Error("module exploded on import");`, rule: "IMPORT_FAILED", mentions: "module exploded on import" },
  {
    folder: "twice_in_file",
    source: `import { Entity, PrimaryGeneratedColumn } from "typeorm";
export const DATABASE_NAME = "twice";
@Entity({ name: "dupes" }) export class DupeA { @PrimaryGeneratedColumn() id: number; }
@Entity({ name: "dupes" }) export class DupeB { @PrimaryGeneratedColumn() id: number; }`,
    rule: "DUPLICATE_TABLE",
    mentions: "'dupes' is declared twice",
  },
  { folder: "bad_list", source: `${ENTITY}\nexport const DATABASE_NAME = "bad_list";\nexport const entities = [Thing, "things"];`, rule: "INVALID_ENTITIES", mentions: "entities[1]" },
  { folder: "bad_services", source: simpleModels("bad_services", ["gizmos"], "Gizmo"), moduleSource: `export const services = "NotAnArray";`, rule: "INVALID_SERVICES", mentions: "`services` must be an array" },
  { folder: "bad_module", source: simpleModels("bad_module", ["widgets"], "Widget"), moduleSource: `throw new Error("service file exploded");`, rule: "IMPORT_FAILED", mentions: "service file exploded" },
  // "zz_" sorts after "healthy", which declares the same table in the same database first.
  { folder: "zz_clash", source: simpleModels("shop", ["orders"], "Clash"), rule: "DUPLICATE_TABLE", mentions: "'orders' in database 'shop' is already declared by" },
];

function writeModules(temp: TempRoot): void {
  temp.writeModuleFile("healthy", "db-models.ts", simpleModels("shop", ["orders", "customers"]));
  temp.writeModuleFile("other", "db-models.ts", simpleModels("other", ["things"], "OtherThing"));
  for (const broken of BROKEN) {
    temp.writeModuleFile(broken.folder, "db-models.ts", broken.source);
    if (broken.moduleSource !== undefined) temp.writeModuleFile(broken.folder, "module.ts", broken.moduleSource);
  }
}

/** The file an issue about `broken` must name. */
function brokenFile(temp: TempRoot, broken: BrokenModule): string {
  return path.join(temp.root, "modules", broken.folder, broken.moduleSource === undefined ? "db-models.ts" : "module.ts");
}

function readTable(file: string, sql: string): Record<string, unknown>[] {
  const connection = new Database(file, { readonly: true });
  try {
    return connection.prepare(sql).all() as Record<string, unknown>[];
  } finally {
    connection.close();
  }
}

describe("discovery errors (default policy: report the module, keep the rest working)", () => {
  let temp: TempRoot;
  let framework: Framework;

  beforeAll(async () => {
    temp = createTempRoot("discovery-errors");
    writeModules(temp);
    framework = await bootFramework({ rootDir: temp.root, dataDir: temp.dataDir });
  });

  afterAll(async () => {
    await framework?.shutdown();
    temp.remove();
  });

  it.each(BROKEN)("reports $folder under $rule, naming its file", (broken) => {
    const file = brokenFile(temp, broken);
    const issues = framework.issues.filter((issue) => issue.module === broken.folder);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ rule: broken.rule, file });
    expect(issues[0]?.message).toContain(broken.mentions);
    const status = framework.modules.find((module) => module.name === broken.folder);
    expect(status?.healthy).toBe(false);
    expect(status?.problems.join("\n")).toContain(file);
    expect(status?.problems.join("\n")).toContain(`[${broken.rule}]`);
  });

  it("creates no database file for a broken module and never writes outside the data folder", () => {
    expect(framework.databases.names()).toEqual(["framework", "other", "shop"]);
    expect(readTable(path.join(temp.dataDir, "framework.db"), "SELECT name FROM framework_databases ORDER BY name").map((row) => row.name)).toEqual(["framework", "other", "shop"]);
  });

  it("keeps the healthy modules working: CRUD on their tables", async () => {
    expect(framework.modules.filter((module) => module.healthy).map((module) => module.name)).toEqual(["healthy", "other"]);
    const crud = framework.resolve(CrudService);
    const order = (await crud.create("shop", "orders", { title: "first order" }))._unsafeUnwrap();
    expect((await crud.get("shop", "orders", order.id))._unsafeUnwrap().title).toBe("first order");
    expect((await crud.create("other", "things", { title: "a thing" })).isOk()).toBe(true);
    expect((await crud.count("other", "things"))._unsafeUnwrap()).toBe(1);
    expect(framework.healthy).toBe(false);
  });

  it("records modules, databases and the boot in the framework database", () => {
    const frameworkFile = path.join(temp.dataDir, "framework.db");
    const modules = readTable(frameworkFile, "SELECT name, status, problem, database_name FROM framework_modules ORDER BY name");
    expect(modules.map((row) => row.name)).toEqual(["bad_list", "bad_module", "bad_services", "empty", "healthy", "no_name", "not_string", "other", "path_trick", "reserved", "syntax", "throwing", "too_long", "twice_in_file", "upper_case", "zz_clash"]);
    expect(modules.find((row) => row.name === "healthy")).toMatchObject({ status: "healthy", problem: null, database_name: "shop" });
    const reserved = modules.find((row) => row.name === "reserved");
    expect(reserved?.status).toBe("unhealthy");
    expect(String(reserved?.problem)).toContain("RESERVED_DATABASE_NAME");
    const databases = readTable(frameworkFile, "SELECT name, state, tables, modules FROM framework_databases ORDER BY name");
    expect(databases.find((row) => row.name === "shop")).toMatchObject({ state: "ready", modules: JSON.stringify(["healthy"]) });
    expect(JSON.parse(String(databases.find((row) => row.name === "shop")?.tables))).toEqual(["customers", "orders"]);
    const boots = readTable(frameworkFile, "SELECT status, pid, finished_at, summary FROM framework_boots");
    expect(boots).toHaveLength(1);
    expect(boots[0]).toMatchObject({ status: "degraded", pid: process.pid });
    expect(boots[0]?.finished_at).not.toBeNull();
    expect(JSON.parse(String(boots[0]?.summary)).unhealthy_modules).toContain("syntax");
  });
});

describe("strict discovery", () => {
  it("rejects boot with a BootError listing every broken file when strict: true", async () => {
    const temp = createTempRoot("discovery-strict");
    try {
      writeModules(temp);
      const failure = await bootFramework({ rootDir: temp.root, dataDir: temp.dataDir, strict: true }).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(BootError);
      const bootError = failure as BootError;
      expect(bootError.code).toBe("DISCOVERY_FAILED");
      expect(bootError.problems).toHaveLength(BROKEN.length);
      for (const broken of BROKEN) {
        expect(bootError.message).toContain(brokenFile(temp, broken));
        expect(bootError.message).toContain(`[${broken.rule}]`);
      }
    } finally {
      temp.remove();
    }
  });

  it("rejects a strict boot whose database is refused, leaving no database open", async () => {
    // Two roots on one data folder: a module file once imported stays cached under its path.
    const before = createTempRoot("discovery-strict-refused-before");
    const after = createTempRoot("discovery-strict-refused-after");
    try {
      before.writeModuleFile("shop", "db-models.ts", simpleModels("shop", ["orders", "customers"]));
      await (await bootFramework({ rootDir: before.root, dataDir: before.dataDir })).shutdown();
      // Dropping an entity is destructive: strict boot must refuse the database and reject.
      after.writeModuleFile("shop", "db-models.ts", simpleModels("shop", ["orders"]));
      await expect(bootFramework({ rootDir: after.root, dataDir: before.dataDir, strict: true })).rejects.toMatchObject({ name: "BootError", code: "SCHEMA_REFUSED" });
      // A connection left open would keep its -wal file; closing the last one removes it.
      expect(readdirSync(before.dataDir).filter((file) => file.endsWith("-wal"))).toEqual([]);
    } finally {
      before.remove();
      after.remove();
    }
  });

  it("reads MODULEDB_STRICT=true from the environment", async () => {
    const temp = createTempRoot("discovery-strict-env");
    const previous = process.env.MODULEDB_STRICT;
    process.env.MODULEDB_STRICT = "true";
    try {
      temp.writeModuleFile("healthy", "db-models.ts", simpleModels("shop", ["orders"]));
      temp.writeModuleFile("no_name", "db-models.ts", ENTITY);
      await expect(bootFramework({ rootDir: temp.root, dataDir: temp.dataDir })).rejects.toMatchObject({ name: "BootError", code: "DISCOVERY_FAILED" });
    } finally {
      if (previous === undefined) delete process.env.MODULEDB_STRICT;
      else process.env.MODULEDB_STRICT = previous;
      temp.remove();
    }
  });

  it("boots a clean root in strict mode and appends to the boot history on each boot", async () => {
    const temp = createTempRoot("discovery-strict-ok");
    try {
      temp.writeModuleFile("healthy", "db-models.ts", simpleModels("shop", ["orders"]));
      for (let boot = 0; boot < 2; boot += 1) {
        const framework = await bootFramework({ rootDir: temp.root, dataDir: temp.dataDir, strict: true });
        expect(framework.healthy).toBe(true);
        await framework.shutdown();
      }
      const boots = readTable(path.join(temp.dataDir, "framework.db"), "SELECT status, shutdown_at FROM framework_boots ORDER BY id");
      expect(boots.map((row) => row.status)).toEqual(["ready", "ready"]);
      expect(boots.every((row) => row.shutdown_at !== null)).toBe(true);
    } finally {
      temp.remove();
    }
  });
});
