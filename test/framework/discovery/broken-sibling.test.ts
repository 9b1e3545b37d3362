import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { bootFramework, CrudService } from "../../../framework";
import { simpleModels } from "../../support/module-sources";
import { createTempRoot, type TempRoot } from "../../support/temp-root";

/**
 * Two modules share one database. When one of them breaks on a later boot (a syntax error while
 * someone edits it), its tables are still in the file: the healthy sibling must keep working and
 * the broken module's tables must be left exactly as they are.
 */
describe("a broken module sharing its database with a healthy one", () => {
  const roots: TempRoot[] = [];
  afterAll(() => {
    for (const root of roots) root.remove();
  });

  function root(brokenSource: string, dataDir?: string): TempRoot {
    const temp = createTempRoot("broken-sibling");
    roots.push(temp);
    temp.writeModuleFile("healthy", "db-models.ts", simpleModels("shared", ["orders"], "Order"));
    temp.writeModuleFile("sibling", "db-models.ts", brokenSource);
    return dataDir === undefined ? temp : { ...temp, dataDir };
  }

  it("keeps the healthy module working and the broken module's rows untouched", async () => {
    const first = root(simpleModels("shared", ["invoices"], "Invoice"));
    const boot1 = await bootFramework({ rootDir: first.root, dataDir: first.dataDir });
    expect((await boot1.resolve(CrudService).create("shared", "invoices", { title: "invoice 1" })).isOk()).toBe(true);
    await boot1.shutdown();

    const second = root(`export const DATABASE_NAME = "shared";\nexport const oops = ;`, first.dataDir);
    const boot2 = await bootFramework({ rootDir: second.root, dataDir: second.dataDir });
    try {
      expect(boot2.issues.map((issue) => [issue.module, issue.rule])).toEqual([["sibling", "IMPORT_FAILED"]]);
      expect(boot2.modules.find((module) => module.name === "healthy")?.healthy).toBe(true);
      const entry = boot2.databases.entry("shared");
      expect(entry?.state).toBe("ready");
      expect(entry?.problems.join("\n")).toContain("invoices");
      const crud = boot2.resolve(CrudService);
      expect((await crud.create("shared", "orders", { title: "order while sibling is broken" })).isOk()).toBe(true);
    } finally {
      await boot2.shutdown();
    }
    const connection = new Database(path.join(first.dataDir, "shared.db"), { readonly: true });
    try {
      expect(connection.prepare("SELECT title FROM invoices").all()).toEqual([{ title: "invoice 1" }]);
    } finally {
      connection.close();
    }

    // Still broken at the next boot: the framework database remembered where the sibling lived.
    const again = await bootFramework({ rootDir: second.root, dataDir: second.dataDir });
    try {
      expect(again.databases.entry("shared")?.state).toBe("ready");
    } finally {
      await again.shutdown();
    }
    const records = new Database(path.join(first.dataDir, "framework.db"), { readonly: true });
    try {
      expect(records.prepare("SELECT status, database_name FROM framework_modules WHERE name = 'sibling'").get()).toEqual({ status: "unhealthy", database_name: "shared" });
    } finally {
      records.close();
    }

    // Once the sibling is fixed, both work again with nothing to migrate.
    const third = root(simpleModels("shared", ["invoices"], "Invoice"), first.dataDir);
    const boot3 = await bootFramework({ rootDir: third.root, dataDir: third.dataDir });
    try {
      expect(boot3.databases.entry("shared")).toMatchObject({ state: "ready", problems: [], refused: [] });
      expect((await boot3.resolve(CrudService).count("shared", "invoices"))._unsafeUnwrap()).toBe(1);
    } finally {
      await boot3.shutdown();
    }
  });

  it("still refuses a table whose entity was removed from a healthy module", async () => {
    const first = root(simpleModels("shared", ["invoices", "receipts"], "Paper"));
    const boot1 = await bootFramework({ rootDir: first.root, dataDir: first.dataDir });
    await boot1.shutdown();
    const second = root(simpleModels("shared", ["invoices"], "Paper"), first.dataDir);
    const boot2 = await bootFramework({ rootDir: second.root, dataDir: second.dataDir });
    try {
      expect(boot2.databases.entry("shared")?.state).toBe("refused");
      expect(boot2.databases.entry("shared")?.problems.join("\n")).toContain("Table 'receipts' exists in the database but no entity declares it");
    } finally {
      await boot2.shutdown();
    }
  });
});
