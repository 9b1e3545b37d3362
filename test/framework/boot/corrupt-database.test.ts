import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bootFramework, CrudService } from "../../../framework";
import { summarizeDatabases, renderSummary } from "../../../framework/summary/boot-summary";
import { corruptTablePages } from "../../support/corrupt-pages";
import { call } from "../../support/http-harness";
import { simpleModels } from "../../support/module-sources";
import { createCompiledRoot, runCli } from "../../support/run-cli";
import { runMain, startServerProcess, type ServerProcess } from "../../support/server-process";
import { createTempRoot, type TempRoot } from "../../support/temp-root";
import { TEST_TOKEN } from "../http/fixtures";
import { sqliteConnection } from "../../../framework/engines/sqlite/sqlite-connection";

/** Fills ciap's searches with `rows` rows through a separate connection (as another process would). */
function fillSearches(file: string, rows: number): void {
  const db = new Database(file);
  try {
    const insert = db.prepare("INSERT INTO searches (query, status, sources) VALUES (?, 'pending', '[\"seeded\"]')");
    db.transaction(() => {
      for (let row = 0; row < rows; row += 1) insert.run(`seeded search ${row} ${"s".repeat(200)}`);
    })();
  } finally {
    db.close();
  }
}

describe("a module database with corrupt pages (20 pages of ciap.db overwritten)", () => {
  let temp: TempRoot;
  let server: ServerProcess | undefined;
  let env: Record<string, string>;
  let ciapFile: string;

  beforeAll(async () => {
    temp = createCompiledRoot("corrupt", ["ciap", "docs"]);
    env = { MODULEDB_ROOT: temp.root, DATABASE_DIR: temp.dataDir, API_TOKEN: TEST_TOKEN, API_PUBLIC_READ: "true" };
    const first = await startServerProcess(env);
    expect(await first.stop("SIGTERM")).toBe(0);
    ciapFile = path.join(temp.dataDir, "ciap.db");
    fillSearches(ciapFile, 3_000);
    corruptTablePages(ciapFile, "searches", 20);
  });

  afterAll(async () => {
    await server?.stop("SIGKILL");
    temp.remove();
  });

  it("the server boots and serves: ciap is refused with DATABASE_CORRUPT, docs reads and writes", async () => {
    server = await startServerProcess(env);
    const { url } = server;
    // The boot summary counted rows, hit the damage and reported it instead of exiting.
    expect(server.output()).toMatch(/database ciap\s+REFUSED DATABASE_CORRUPT/);
    expect(server.output()).toMatch(/database docs\s+healthy/);

    const status = await call(url, "GET", "/api/v1/db/status");
    expect(status.status).toBe(200);
    const ciap = status.body.databases.find((database: { name: string }) => database.name === "ciap");
    expect(ciap).toMatchObject({ state: "refused", refusal: { code: "DATABASE_CORRUPT" } });
    expect(ciap.refusal.message).toContain("'ciap'");

    const read = await call(url, "GET", "/api/v1/db/databases/ciap/tables/searches");
    expect(read.status).toBe(503);
    expect(read.body.error).toMatchObject({ code: "DATABASE_CORRUPT", details: { database: "ciap" } });
    const write = await call(url, "POST", "/api/v1/db/databases/ciap/tables/searches/records", { json: { query: "into a corrupt file?" }, token: TEST_TOKEN });
    expect(write.status).toBe(503);
    expect(write.body.error.code).toBe("DATABASE_CORRUPT");

    const health = await call(url, "GET", "/health");
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: "degraded", databases: [{ database: "ciap", code: "DATABASE_CORRUPT" }] });

    const docs = "/api/v1/db/databases/docs/tables/system_config";
    const created = await call(url, "POST", `${docs}/records`, { json: { key: "fault-suite", value: { still: "serving" } }, token: TEST_TOKEN });
    expect(created.status).toBe(201);
    expect((await call(url, "GET", `${docs}/records/fault-suite`)).body.record.value).toEqual({ still: "serving" });

    expect(await server.stop("SIGTERM")).toBe(0);
    server = undefined;
  });

  it("moduledb status names the refused database and still reports the others", async () => {
    const run = await runCli(["status", "--root", temp.root, "--data", temp.dataDir]);
    expect(run.stdout).toMatch(/^ciap\s+refused DATABASE_CORRUPT\s+UNHEALTHY/m);
    expect(run.stdout).toMatch(/^docs\s+ready\s+ok/m);
    expect(run.stdout).toMatch(/ciap: Database 'ciap' is corrupt/);
  });

  it("strict mode refuses to boot on it (quick_check at boot)", async () => {
    const run = runMain({ ...env, PORT: "0", MODULEDB_STRICT: "true" });
    expect(await run.exited).toBe(1);
    expect(run.output()).toMatch(/Boot failed \[SCHEMA_REFUSED\]/);
    expect(run.output()).toMatch(/Database 'ciap' is corrupt/);
  });
});

describe("corruption found at run time", () => {
  it("refuses only that database from the failing statement on; the other keeps working and shutdown is clean", async () => {
    const temp = createTempRoot("corrupt-runtime");
    temp.writeModuleFile("shop", "db-models.ts", simpleModels("shop", ["orders"]));
    temp.writeModuleFile("notes", "db-models.ts", simpleModels("notes", ["notes"]));
    const framework = await bootFramework({ rootDir: temp.root, dataDir: temp.dataDir });
    try {
      const crud = framework.resolve(CrudService);
      const shop = framework.databases.get("shop")._unsafeUnwrap();
      const rows = Array.from({ length: 3_000 }, (_, index) => ({ title: `order ${index}`, note: "n".repeat(300) }));
      expect((await crud.createMany("shop", "orders", rows)).isOk()).toBe(true);
      sqliteConnection(shop).pragma("wal_checkpoint(TRUNCATE)");
      corruptTablePages(shop.file, "orders", 20);
      // Drop the pages this connection still has cached, so the next read goes to the damaged file.
      sqliteConnection(shop).pragma("shrink_memory");

      const listed = await crud.list("shop", "orders", { pageSize: 100, sort: [{ column: "title", direction: "desc" }] });
      expect(listed._unsafeUnwrapErr()).toMatchObject({ code: "DATABASE_CORRUPT", database: "shop" });
      expect(framework.databases.entry("shop")).toMatchObject({ state: "refused", refusal: { code: "DATABASE_CORRUPT" } });
      const refused = await crud.create("shop", "orders", { title: "after" });
      expect(refused._unsafeUnwrapErr().code).toBe("DATABASE_CORRUPT");
      expect(refused._unsafeUnwrapErr().message).not.toMatch(/is refused: /);

      expect((await crud.create("notes", "notes", { title: "unaffected" })).isOk()).toBe(true);
      const summary = renderSummary(framework, await summarizeDatabases(framework));
      expect(summary).toMatch(/database shop\s+REFUSED DATABASE_CORRUPT/);
      expect(summary).toMatch(/database notes\s+healthy/);
    } finally {
      await framework.shutdown();
      temp.remove();
    }
  });
});
