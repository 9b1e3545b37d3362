import { mkdirSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { call, snapshotDatabase, startApi, type ApiUnderTest } from "../../support/http-harness";
import { createTempRoot, type TempRoot } from "../../support/temp-root";
import { writeAccountsModule } from "./fixtures";

const base = "/api/v1/db/databases/accounts/tables";
let temp: TempRoot | undefined;
let api: ApiUnderTest | undefined;

afterEach(async () => {
  await api?.stop();
  temp?.remove();
  api = undefined;
  temp = undefined;
});

async function start(prepare?: (dataDir: string) => void): Promise<ApiUnderTest> {
  temp = createTempRoot("http-failures");
  writeAccountsModule(temp);
  if (prepare !== undefined) {
    mkdirSync(temp.dataDir, { recursive: true });
    prepare(temp.dataDir);
  }
  api = await startApi(temp);
  return api;
}

describe("failure modes", () => {
  it("DATABASE_UNAVAILABLE is 503 for a refused database, and readiness reports it", async () => {
    // An existing file whose table has a column the entity no longer declares: boot refuses it rather than drop data.
    const server = await start((dataDir) => {
      const db = new Database(path.join(dataDir, "accounts.db"));
      db.exec("CREATE TABLE accounts (id INTEGER PRIMARY KEY AUTOINCREMENT, legacy TEXT)");
      db.close();
    });
    const tables = await call(server.url, "GET", `${base}`);
    expect(tables.status).toBe(503);
    expect(tables.body.error.code).toBe("DATABASE_UNAVAILABLE");
    expect(tables.body.error.details.state).toBe("refused");
    const create = await call(server.url, "POST", `${base}/accounts/records`, { json: { email: "a@example.com", name: "A" } });
    expect(create.status).toBe(503);
    expect(create.body.error.code).toBe("DATABASE_UNAVAILABLE");
    for (const probe of ["/api/v1/db/is-ready", "/ready"]) {
      const readiness = await call(server.url, "GET", probe);
      expect(readiness.status).toBe(503);
      expect(readiness.body).toMatchObject({ ready: false, status: "degraded", unhealthy_databases: ["accounts"], unhealthy_modules: ["accounts"] });
      expect(readiness.body.problems).toEqual([expect.stringMatching(/^Database 'accounts' was refused: its entities need changes/), "Module 'accounts': its database 'accounts' is not ready."]);
    }
    const status = await call(server.url, "GET", "/api/v1/db/status");
    expect(status.body.status).toBe("degraded");
    expect(status.body.databases.find((database: { name: string }) => database.name === "accounts")).toMatchObject({ state: "refused", health: { healthy: false } });
    expect((await call(server.url, "GET", "/health")).status).toBe(200);
  });

  it("DATABASE_LOCKED is 503 when another connection holds the write lock past every retry; nothing is written", async () => {
    const server = await start();
    const file = server.framework.databases.entry("accounts")?.file ?? "";
    const holder = new Database(file);
    holder.exec("BEGIN IMMEDIATE");
    try {
      const before = snapshotDatabase(file);
      const response = await call(server.url, "POST", `${base}/accounts/records`, { json: { email: "locked@example.com", name: "L" } });
      expect(response.status).toBe(503);
      expect(response.body.error.code).toBe("DATABASE_LOCKED");
      // Reads go on under WAL while another connection writes.
      expect((await call(server.url, "GET", `${base}/accounts`)).status).toBe(200);
      expect(snapshotDatabase(file)).toBe(before);
    } finally {
      holder.exec("ROLLBACK");
      holder.close();
    }
    expect((await call(server.url, "POST", `${base}/accounts/records`, { json: { email: "later@example.com", name: "L" } })).status).toBe(201);
  });

  it("an unexpected database failure is a 500 that leaks no SQL, path or driver message", async () => {
    const server = await start();
    const file = server.framework.databases.entry("accounts")?.file ?? "";
    // A trigger that calls a function SQLite does not know: the schema still agrees with the
    // entities (the re-check the schema change causes finds nothing), but every insert fails.
    const outsider = new Database(file);
    outsider.exec("CREATE TRIGGER accounts_boom BEFORE INSERT ON accounts BEGIN SELECT no_such_function(NEW.email); END");
    outsider.close();
    expect((await server.framework.databases.reload("accounts"))._unsafeUnwrap().state).toBe("ready");
    const response = await call(server.url, "POST", `${base}/accounts/records`, { json: { email: "boom@example.com", name: "B" } });
    expect(response.status).toBe(500);
    // The insert runs in CrudService's transaction, so the failure is reported as that transaction's.
    expect(response.body.error).toMatchObject({ code: "TRANSACTION_FAILED", module: "core.database" });
    expect(response.body.error.details).toEqual({ request_id: response.headers.get("x-request-id"), database: "accounts" });
    for (const internal of ["no such function", "no_such_function", "accounts_boom", "INSERT", file, "SQLITE"]) expect(response.text).not.toContain(internal);
  });
});
