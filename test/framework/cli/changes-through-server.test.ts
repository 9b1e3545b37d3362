import { readFileSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { call } from "../../support/http-harness";
import { startHttpWriter } from "../../support/http-writer";
import { LIBRARY_V1, LIBRARY_V2, RENAME_PAGES, writeLibraryModels, writeRenameMigration } from "../../support/library-module";
import { runCli } from "../../support/run-cli";
import { tableRows } from "../../support/schema-snapshot";
import { startServerProcess, type ServerProcess } from "../../support/server-process";
import { createTempRoot } from "../../support/temp-root";

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function untilAcked(count: () => number, more: number): Promise<void> {
  const target = count() + more;
  const deadline = Date.now() + 30_000;
  while (count() < target && Date.now() < deadline) await sleep(20);
  expect(count()).toBeGreaterThanOrEqual(target);
}

describe("migration:run, migration:revert, seed and restore from the CLI while a server holds the database (two real processes)", () => {
  const temp = createTempRoot("through-server", "compiled");
  const paths = ["--root", temp.root, "--data", temp.dataDir];
  const file = path.join(temp.dataDir, "library.db");
  let server: ServerProcess | undefined;
  afterAll(async () => {
    await server?.stop("SIGKILL");
    temp.remove();
  });

  it("carries migrations out through the server, which serves each new schema; refuses seed and restore; never answers 500", async () => {
    // v1 on disk, with three books, then the code moves to v2 (a rename boot must refuse).
    writeLibraryModels(temp, LIBRARY_V1);
    const created = await runCli(["migration:run", "library", ...paths]);
    expect(created.code, created.stderr).toBe(0);
    const direct = new Database(file);
    for (const [title, pages] of [["Dune", 412], ["Emma", 474], ["Ulysses", 730]] as const) direct.prepare('INSERT INTO "books" ("title", "pages") VALUES (?, ?)').run(title, pages);
    direct.close();
    writeLibraryModels(temp, LIBRARY_V2);

    server = await startServerProcess({ MODULEDB_ROOT: temp.root, DATABASE_DIR: temp.dataDir, DATABASE_WATCH_INTERVAL_MS: "200", REDIS_URL: "" });
    const refused = await call(server.url, "GET", "/api/v1/db/databases/library/tables/books");
    expect(refused.status).toBe(503);
    expect(refused.body.error.code).toBe("DATABASE_UNAVAILABLE");
    expect(refused.body.error.message).toMatch(/^Database 'library' was refused: its entities need changes/);
    expect(refused.body.error.message).not.toMatch(/refused:.*refused:/);
    const degraded = await call(server.url, "GET", "/ready");
    expect(degraded.status).toBe(503);
    expect(degraded.body).toMatchObject({ ready: false, status: "degraded", unhealthy_databases: ["library"], unhealthy_modules: ["library"] });

    const writer = startHttpWriter(server.url, "library", "books", (index) => ({ title: `written ${index}`, page_count: index }));
    try {
      // migration:run from this (other) process: the server applies it and serves the new schema.
      writeRenameMigration(temp);
      const run = await runCli(["migration:run", "library", "--json", ...paths]);
      expect(run.code, run.stderr).toBe(0);
      const report = JSON.parse(run.stdout) as { databases: { database: string; applied: string[] }[]; carried_out_by: { pid: number } };
      expect(report.carried_out_by.pid).toBe(server.child.pid);
      expect(report.databases).toEqual([expect.objectContaining({ database: "library", applied: [RENAME_PAGES] })]);
      const served = await call(server.url, "GET", "/api/v1/db/databases/library/tables/books?page_size=3&sort=id");
      expect(served.status, served.text).toBe(200);
      expect(served.body.records.map((book: { title: string; page_count: number }) => [book.title, book.page_count])).toEqual([["Dune", 412], ["Emma", 474], ["Ulysses", 730]]);
      expect((await call(server.url, "GET", "/ready")).status).toBe(200);
      await untilAcked(writer.acknowledged, 20);

      // migration:revert from this process: carried out by the server, which then refuses the
      // database with the reason (its entities want page_count) instead of failing with SQL errors.
      const revert = await runCli(["migration:revert", "library", "--json", ...paths]);
      expect(revert.code, revert.stderr).toBe(0);
      expect(JSON.parse(revert.stdout)).toMatchObject({ database: "library", reverted: [RENAME_PAGES], carried_out_by: { pid: server.child.pid } });
      const afterRevert = await call(server.url, "GET", "/api/v1/db/databases/library/tables/books");
      expect(afterRevert.status).toBe(503);
      expect(afterRevert.body.error.message).toContain(`pending migration(s) (${RENAME_PAGES})`);

      // seed and restore would change files under the server: refused, naming it.
      const seed = await runCli(["seed", "library", ...paths]);
      expect(seed.code).toBe(1);
      expect(seed.stderr).toContain(`error [DATABASE_IN_USE]: Refusing to seed 'library': held by pid ${server.child.pid}`);
      const backup = await runCli(["backup", "library", "--out", path.join(temp.root, "backups"), "--json", ...paths]);
      expect(backup.code, backup.stderr).toBe(0);
      const before = readFileSync(file);
      const restore = await runCli(["restore", (JSON.parse(backup.stdout) as { dir: string }).dir, "library", ...paths]);
      expect(restore.code).toBe(1);
      expect(restore.stderr).toContain("error [DATABASE_IN_USE]");
      expect(restore.stderr).toContain(`pid ${server.child.pid}`);
      expect(readFileSync(file).equals(before)).toBe(true);

      // The server's own route brings it back.
      const again = await call(server.url, "POST", "/api/v1/db/migrations/run", { json: { database: "library" } });
      expect(again.status, again.text).toBe(200);
      expect(again.body.databases[0].applied.map((entry: { name: string }) => entry.name)).toEqual([RENAME_PAGES]);
      await untilAcked(writer.acknowledged, 20);
    } finally {
      const outcome = await writer.stop();
      console.log(`writes through the changes: ${outcome.acked.length} acknowledged; statuses ${JSON.stringify(outcome.statuses)}`);
      expect(outcome.serverErrors).toEqual([]);
      expect(Object.keys(outcome.statuses).map(Number).filter((status) => status >= 500 && status !== 503)).toEqual([]);
      expect(await server.stop("SIGTERM")).toBe(0);
      server = undefined;
      const stored = new Set(tableRows(file, "books").map((row) => Number(row.id)));
      expect(outcome.acked.filter((id) => !stored.has(id))).toEqual([]);
    }

    const log = await runCli(["log", "--database", "library", "--json", ...paths]);
    expect(log.code, log.stderr).toBe(0);
    const entries = (JSON.parse(log.stdout) as { operations: { kind: string; outcome: string; actor: string }[] }).operations;
    expect(entries.map((entry) => `${entry.kind}:${entry.outcome}`)).toEqual(
      expect.arrayContaining(["database.refused:refused", "migration.run:ok", "database.ready:ok", "migration.revert:ok", "restore:refused"]),
    );
    expect(entries.find((entry) => entry.kind === "migration.revert")?.actor).toMatch(/^http 127\.0\.0\.1 \(request /);
    // Several real processes (servers, CLI runs) one after another on a shared 2-core machine.
  }, 300_000);
});
