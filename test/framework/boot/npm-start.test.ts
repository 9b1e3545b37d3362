import { existsSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import path from "node:path";
import Database from "better-sqlite3";
import { getMetadataArgsStorage } from "typeorm";
import { afterAll, describe, expect, it } from "vitest";
import * as ciapModels from "../../../modules/ciap/db-models";
import { SYSTEM_ENTITIES } from "../../../framework/system/system-entities";
import { runMain, startServerProcess } from "../../support/server-process";
import { createTempRoot, REPO_ROOT } from "../../support/temp-root";

/** Tables and named indexes the entities of a db-models file declare, read from TypeORM's decorator metadata. */
function declaredObjects(entities: readonly unknown[]): { tables: string[]; indexes: string[] } {
  const storage = getMetadataArgsStorage();
  const tables = storage.tables.filter((table) => entities.includes(table.target)).map((table) => String(table.name));
  const indexes = storage.indices.filter((index) => entities.includes(index.target) && index.name !== undefined).map((index) => String(index.name));
  return { tables: tables.sort(), indexes: indexes.sort() };
}

function fileObjects(file: string): { tables: string[]; indexes: string[] } {
  const connection = new Database(file, { readonly: true });
  try {
    const rows = connection.prepare("SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'").all() as { type: string; name: string }[];
    return {
      tables: rows.filter((row) => row.type === "table").map((row) => row.name).sort(),
      indexes: rows.filter((row) => row.type === "index").map((row) => row.name).sort(),
    };
  } finally {
    connection.close();
  }
}

describe("npm start (node dist/framework/main.js)", () => {
  const temp = createTempRoot("npm-start");
  afterAll(() => temp.remove());

  it("creates framework.db and ciap.db with every table and index, prints a summary, serves, and stops cleanly", async () => {
    const server = await startServerProcess({ DATABASE_DIR: temp.dataDir, LOG_LEVEL: "info" });
    const health = await fetch(`${server.url}/health`);
    expect(health.status).toBe(200);
    expect(await server.stop("SIGTERM")).toBe(0);
    const outcome = { stdout: server.output() };

    const ciapEntities = Object.values(ciapModels);
    const ciap = declaredObjects(ciapEntities);
    expect(ciap.tables).toEqual(expect.arrayContaining(["searches", "search_results", "cache", "task_queue", "scraping_jobs", "rate_limits"]));
    expect(ciap.indexes).toEqual(expect.arrayContaining(["idx_searches_status", "idx_task_queue_dequeue"]));
    const ciapFile = fileObjects(path.join(temp.dataDir, "ciap.db"));
    expect(ciapFile.tables).toEqual(expect.arrayContaining(ciap.tables));
    expect(ciapFile.indexes).toEqual(expect.arrayContaining(ciap.indexes));

    const system = declaredObjects(SYSTEM_ENTITIES);
    const frameworkFile = fileObjects(path.join(temp.dataDir, "framework.db"));
    expect(frameworkFile.tables).toEqual(expect.arrayContaining(system.tables));
    expect(frameworkFile.indexes).toEqual(expect.arrayContaining(system.indexes));

    for (const table of [...ciap.tables, ...system.tables]) expect(outcome.stdout).toContain(table);
    expect(outcome.stdout).toContain(temp.dataDir);
    expect(outcome.stdout).toMatch(/module ciap\s+healthy/);
    // Every change boot made on its own is named, in the summary and in the log.
    for (const table of ciap.tables) expect(outcome.stdout).toContain(`applied at boot: Created table '${table}'.`);
    expect(outcome.stdout).toMatch(/"msg":"applied at boot: Created table 'searches'\."/);
  });

  it("a port in use: one line, exit 1, before any database is opened", async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen({ host: "127.0.0.1", port: 0 }, resolve));
    const port = (blocker.address() as AddressInfo).port;
    const dataDir = path.join(temp.root, "never-opened");
    try {
      const run = runMain({ PORT: String(port), DATABASE_DIR: dataDir, LOG_LEVEL: "info" });
      expect(await run.exited).toBe(1);
      expect(run.output()).toBe(`port ${port} is in use; set PORT\n`);
      expect(existsSync(dataDir)).toBe(false);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});
