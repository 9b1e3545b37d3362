import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachEngine } from "../../support/each-engine";
import { call, startApi, type ApiUnderTest } from "../../support/http-harness";
import { createTempRoot, type TempRoot } from "../../support/temp-root";
import { SEED_ACCOUNTS, writeAccountsModule } from "./fixtures";

const base = "/api/v1/db/databases/accounts/tables";

/** The REST API written once and run with the accounts module's database on each engine. */
describeEachEngine("REST API (contract)", (engine) => {
  let temp: TempRoot;
  let api: ApiUnderTest;

  beforeAll(async () => {
    temp = createTempRoot("rest-contract");
    writeAccountsModule(temp);
    await engine.use(["accounts"]);
    api = await startApi(temp);
    for (const account of SEED_ACCOUNTS) expect((await call(api.url, "POST", `${base}/accounts/records`, { json: account })).status).toBe(201);
  });

  afterAll(async () => {
    await api?.stop();
    temp.remove();
    await engine.release();
  });

  it("health, readiness and status report the database healthy on its engine, its location without a password", async () => {
    expect((await call(api.url, "GET", "/health")).body).toEqual({ status: "ok" });
    expect((await call(api.url, "GET", "/ready")).status).toBe(200);
    const status = (await call(api.url, "GET", "/api/v1/db/status")).body;
    expect(status.status).toBe("connected");
    expect(status.engine).toBe(engine.kind === "sqlite" ? "sqlite" : "sqlite+postgres");
    const accounts = status.databases.find((database: { name: string }) => database.name === "accounts");
    expect(accounts).toMatchObject({ state: "ready", tables: ["accounts", "notes"], health: { healthy: true } });
    if (engine.kind === "postgres") expect(accounts.file).toMatch(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/moduledb_test_[0-9a-f]+\?schema=accounts$/);
    else expect(accounts.file).toMatch(/accounts\.db$/);
  });

  it("pages, sorts and filters", async () => {
    const page = (await call(api.url, "GET", `${base}/accounts?page=1&page_size=2&sort=priority`)).body;
    expect(page).toMatchObject({ page: 1, page_size: 2, total_records: 3, total_pages: 2 });
    expect(page.records.map((record: { name: string }) => record.name)).toEqual(["Ada", "Bob"]);
    const names = async (query: string) => (await call(api.url, "GET", `${base}/accounts?${query}`)).body.records.map((record: { name: string }) => record.name);
    expect(await names("sort=-status,-priority")).toEqual(["Bob", "Cy", "Ada"]);
    expect(await names("filter[status][eq]=active&sort=name")).toEqual(["Ada", "Cy"]);
    expect(await names("filter[priority][in]=1,2&sort=name")).toEqual(["Ada", "Bob"]);
    expect(await names("filter[priority][gte]=2&filter[status][ne]=disabled")).toEqual(["Cy"]);
    expect(await names("filter[email][like]=b%25")).toEqual(["Bob"]);
  });

  it("creates, reads, updates and deletes a record; constraint violations are 409 and change nothing", async () => {
    const created = await call(api.url, "POST", `${base}/notes/records`, { json: { account_id: 1, body: "first" } });
    expect(created.status).toBe(201);
    const id = created.body.record.id as number;
    expect((await call(api.url, "GET", `${base}/notes/records/${id}`)).body.record).toEqual({ id, account_id: 1, body: "first" });
    expect((await call(api.url, "PATCH", `${base}/notes/records/${id}`, { json: { body: "changed" } })).body.record).toEqual({ id, account_id: 1, body: "changed" });
    const duplicate = await call(api.url, "POST", `${base}/accounts/records`, { json: { email: "ada@example.com", name: "Again" } });
    expect([duplicate.status, duplicate.body.error?.code ?? duplicate.body.code]).toEqual([409, "CONSTRAINT_VIOLATION"]);
    const orphan = await call(api.url, "POST", `${base}/notes/records`, { json: { account_id: 999, body: "orphan" } });
    expect(orphan.status).toBe(409);
    expect((await call(api.url, "GET", `${base}/notes?page_size=100`)).body.total_records).toBe(1);
    expect((await call(api.url, "DELETE", `${base}/notes/records/${id}`)).status).toBe(200);
    expect((await call(api.url, "GET", `${base}/notes/records/${id}`)).status).toBe(404);
  });
});
