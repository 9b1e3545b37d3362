import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, startApi, type ApiUnderTest } from "../../support/http-harness";
import { simpleModels } from "../../support/module-sources";
import { createTempRoot, type TempRoot } from "../../support/temp-root";

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Another connection (as another process would) changes the schema under the server. */
function alter(file: string, sql: string): void {
  const connection = new Database(file);
  try {
    connection.exec(sql);
  } finally {
    connection.close();
  }
}

describe("a schema changed under a running server is detected and re-checked", () => {
  let temp: TempRoot;
  let api: ApiUnderTest;
  let file: string;
  const statuses: number[] = [];
  beforeAll(async () => {
    process.env.DATABASE_WATCH_INTERVAL_MS = "100";
    temp = createTempRoot("live-reload");
    temp.writeModuleFile("notes", "db-models.ts", simpleModels("library", ["books"]));
    api = await startApi(temp);
    file = path.join(temp.dataDir, "library.db");
  });
  afterAll(async () => {
    delete process.env.DATABASE_WATCH_INTERVAL_MS;
    await api?.stop();
    temp?.remove();
  });

  async function get(url: string) {
    const response = await call(api.url, "GET", url);
    statuses.push(response.status);
    return response;
  }

  it("answers 503 naming the change (never a raw SQL error), and serves again after POST /reload once the schema agrees", async () => {
    expect((await call(api.url, "POST", "/api/v1/db/databases/library/tables/books/records", { json: { title: "Dune" } })).status).toBe(201);
    alter(file, 'ALTER TABLE "books" RENAME COLUMN "note" TO "remark"');

    // The very next request notices PRAGMA schema_version moved: no query runs against the changed schema.
    const first = await get("/api/v1/db/databases/library/tables/books");
    expect(first.status).toBe(503);
    expect(first.body.error.code).toBe("DATABASE_UNAVAILABLE");
    let refused = first;
    for (let attempt = 0; attempt < 100 && !/exists in the database but not in the entity/.test(refused.text); attempt += 1) {
      await sleep(20);
      refused = await get("/api/v1/db/databases/library/tables/books");
    }
    expect(refused.status).toBe(503);
    expect(refused.body.error.message).toMatch(/^Database 'library' was refused: its entities need changes that could lose or rewrite data\./);
    expect(refused.body.error.message).toContain("Column 'books.remark' exists in the database but not in the entity");
    expect(refused.body.error.message.match(/refused/g)).toHaveLength(1);
    expect(api.framework.databases.entry("library")?.state).toBe("refused");
    const ready = await call(api.url, "GET", "/ready");
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({ status: "degraded", unhealthy_databases: ["library"], unhealthy_modules: ["notes"] });

    alter(file, 'ALTER TABLE "books" RENAME COLUMN "remark" TO "note"');
    const reload = await call(api.url, "POST", "/api/v1/db/databases/library/reload");
    expect(reload.status, reload.text).toBe(200);
    expect(reload.body).toMatchObject({ success: true, database: "library", previous_state: "refused", state: "ready", problems: [] });
    const served = await get("/api/v1/db/databases/library/tables/books");
    expect(served.status).toBe(200);
    expect(served.body.records.map((book: { title: string }) => book.title)).toEqual(["Dune"]);
    expect((await call(api.url, "GET", "/ready")).status).toBe(200);
    expect(statuses.filter((status) => status >= 500 && status !== 503)).toEqual([]);

    const unknown = await call(api.url, "POST", "/api/v1/db/databases/nope/reload");
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe("DATABASE_NOT_FOUND");
  });

  it("the watcher re-checks a database nobody asks for (services using repositories directly), within a few intervals", async () => {
    alter(file, 'CREATE TABLE "stray" (id INTEGER PRIMARY KEY)');
    const deadline = Date.now() + 5_000;
    while (api.framework.databases.entry("library")?.state === "ready" && Date.now() < deadline) await sleep(25);
    expect(api.framework.databases.entry("library")?.state).toBe("refused");
    expect(api.framework.databases.entry("library")?.problems.join(" ")).toContain("Table 'stray' exists in the database but no entity declares it");

    alter(file, 'DROP TABLE "stray"');
    const back = Date.now() + 5_000;
    while (api.framework.databases.entry("library")?.state !== "ready" && Date.now() < back) await sleep(25);
    expect(api.framework.databases.entry("library")?.state).toBe("ready");
    const log = await call(api.url, "GET", "/api/v1/db/operations?database=library");
    expect(log.status).toBe(200);
    expect(log.body.operations.map((entry: { kind: string }) => entry.kind).slice(0, 4)).toEqual(["database.ready", "database.refused", "database.ready", "database.refused"]);
  });
});
