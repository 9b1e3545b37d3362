import { existsSync, readdirSync, rmSync, statSync, truncateSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BootError, bootFramework, CrudService, type Framework } from "../../../framework";
import { renderSummary, summarizeDatabases } from "../../../framework/summary/boot-summary";
import { simpleModels } from "../../support/module-sources";
import { runCli } from "../../support/run-cli";
import { createTempRoot, type TempRoot } from "../../support/temp-root";

function sizeOf(file: string): number | undefined {
  return existsSync(file) ? statSync(file).size : undefined;
}

/** Empties a database file the way a failed copy or an operator's `> shop.db` would. */
function emptyFile(file: string): void {
  truncateSync(file, 0);
  for (const suffix of ["-wal", "-shm"]) rmSync(`${file}${suffix}`, { force: true });
}

describe("a database file found empty or missing while the framework remembers its tables", () => {
  let temp: TempRoot;
  let shopFile: string;

  async function boot(strict = false): Promise<Framework> {
    return bootFramework({ rootDir: temp.root, dataDir: temp.dataDir, strict });
  }

  beforeAll(async () => {
    temp = createTempRoot("emptied");
    temp.writeModuleFile("shop", "db-models.ts", simpleModels("shop", ["orders", "lines"]));
    temp.writeModuleFile("notes", "db-models.ts", simpleModels("notes", ["notes"]));
    const framework = await boot();
    const crud = framework.resolve(CrudService);
    for (let index = 0; index < 50; index += 1) (await crud.create("shop", "orders", { title: `order ${index}` }))._unsafeUnwrap();
    shopFile = framework.databases.get("shop")._unsafeUnwrap().file;
    await framework.shutdown();
  });

  afterAll(() => temp.remove());

  it("a 0-byte file is refused with DATABASE_EMPTIED, nothing is recreated, the other database serves", async () => {
    const backup = await runCli(["backup", "shop", "--out", path.join(temp.root, "backups")], { DATABASE_DIR: temp.dataDir });
    expect(backup.code, backup.stderr).toBe(0);
    emptyFile(shopFile);

    const framework = await boot();
    try {
      const crud = framework.resolve(CrudService);
      expect(framework.databases.entry("shop")).toMatchObject({ state: "refused", refusal: { code: "DATABASE_EMPTIED" } });
      const refused = await crud.create("shop", "orders", { title: "into an empty file?" });
      expect(refused._unsafeUnwrapErr()).toMatchObject({ code: "DATABASE_EMPTIED", database: "shop", details: { state: "refused" } });
      expect(refused._unsafeUnwrapErr().message).toMatch(/shop\.db is empty \(0 bytes\), but the framework database remembers its tables \(lines, orders\)/);
      expect((await crud.list("shop", "orders"))._unsafeUnwrapErr().code).toBe("DATABASE_EMPTIED");
      expect((await crud.create("notes", "notes", { title: "unaffected" })).isOk()).toBe(true);
      const summary = renderSummary(framework, await summarizeDatabases(framework));
      expect(summary).toMatch(/database shop\s+REFUSED DATABASE_EMPTIED/);
    } finally {
      await framework.shutdown();
    }
    expect(sizeOf(shopFile)).toBe(0);
    expect(sizeOf(`${shopFile}-wal`)).toBeUndefined();

    // The memory survives the boot that refused it: the next boot refuses again.
    const again = await boot();
    try {
      expect(again.databases.entry("shop")?.refusal?.code).toBe("DATABASE_EMPTIED");
    } finally {
      await again.shutdown();
    }
    expect(sizeOf(shopFile)).toBe(0);

    await expect(boot(true)).rejects.toSatisfy((error: unknown) => error instanceof BootError && /DATABASE_EMPTIED|is empty \(0 bytes\)/.test(error.message));

    // moduledb restore brings it back, rows included.
    const backupDir = path.join(temp.root, "backups", readdirSync(path.join(temp.root, "backups")).find((name) => name.startsWith("backup-")) as string);
    const restore = await runCli(["restore", backupDir, "shop"], { DATABASE_DIR: temp.dataDir });
    expect(restore.code, restore.stderr).toBe(0);
    const restored = await boot();
    try {
      expect(restored.databases.entry("shop")?.state).toBe("ready");
      expect((await restored.resolve(CrudService).count("shop", "orders"))._unsafeUnwrap()).toBe(50);
    } finally {
      await restored.shutdown();
    }
  });

  it("a missing file is refused too; moduledb forget lets the next boot create it empty", async () => {
    rmSync(shopFile);
    for (const suffix of ["-wal", "-shm"]) rmSync(`${shopFile}${suffix}`, { force: true });
    const framework = await boot();
    try {
      expect(framework.databases.entry("shop")?.refusal?.code).toBe("DATABASE_EMPTIED");
      expect(framework.databases.get("shop")._unsafeUnwrapErr()).toMatchObject({ details: { state: "refused" } });
      expect(framework.databases.get("shop")._unsafeUnwrapErr().message).toMatch(/shop\.db is missing/);
    } finally {
      await framework.shutdown();
    }
    expect(existsSync(shopFile)).toBe(false);

    const forget = await runCli(["forget", "shop", "--data", temp.dataDir]);
    expect(forget.code, forget.stderr).toBe(0);
    expect(forget.stdout).toMatch(/Forgot database 'shop' \(tables: lines, orders\)/);

    const fresh = await boot(true);
    try {
      expect(fresh.databases.entry("shop")?.state).toBe("ready");
      expect((await fresh.resolve(CrudService).count("shop", "orders"))._unsafeUnwrap()).toBe(0);
    } finally {
      await fresh.shutdown();
    }
  });
});
