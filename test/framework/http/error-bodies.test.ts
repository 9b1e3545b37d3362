import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, snapshotDatabase, startApi, type ApiUnderTest } from "../../support/http-harness";
import { createTempRoot } from "../../support/temp-root";
import { SEED_ACCOUNTS, writeAccountsModule } from "./fixtures";

const temp = createTempRoot("error-bodies");
writeAccountsModule(temp);
let api: ApiUnderTest;
const base = "/api/v1/db/databases/accounts/tables";

beforeAll(async () => {
  api = await startApi(temp);
  for (const account of SEED_ACCOUNTS) expect((await call(api.url, "POST", `${base}/accounts/records`, { json: account })).status).toBe(201);
});
afterAll(async () => {
  await api?.stop();
  temp.remove();
});

/** Nothing of SQLite's own wording or result codes reaches a response. */
function expectNoEngineText(text: string): void {
  expect(text).not.toMatch(/constraint failed|SQLITE_|sqlite_code/i);
}

describe("CONSTRAINT_VIOLATION names the constraint kind and column, never SQLite's message", () => {
  it("unique", async () => {
    const response = await call(api.url, "POST", `${base}/accounts/records`, { json: { email: SEED_ACCOUNTS[0]?.email, name: "Again" } });
    expect(response.status).toBe(409);
    expect(response.body.error).toMatchObject({ code: "CONSTRAINT_VIOLATION", module: "core.database", details: { constraint: "unique", table: "accounts", columns: ["email"], database: "accounts" } });
    expect(response.body.error.message).toBe("A record with the same value on accounts.email already exists (unique constraint).");
    expectNoEngineText(response.text);
  });

  it("foreign key", async () => {
    const response = await call(api.url, "POST", `${base}/notes/records`, { json: { account_id: 999, body: "orphan" } });
    expect(response.status).toBe(409);
    expect(response.body.error.details).toMatchObject({ constraint: "foreign_key", table: "notes", columns: ["account_id"] });
    expect(response.body.error.message).toMatch(/^A foreign key on notes.account_id refused the change/);
    expectNoEngineText(response.text);
  });
});

describe("request bodies must be JSON", () => {
  it("text/plain, form and missing content types are 415 UNSUPPORTED_MEDIA_TYPE with nothing written", async () => {
    const file = api.framework.databases.entry("accounts")?.file ?? "";
    const before = snapshotDatabase(file);
    for (const contentType of ["text/plain", "text/plain; charset=utf-8", "application/x-www-form-urlencoded", "application/xml"]) {
      const response = await call(api.url, "POST", `${base}/accounts/records`, { raw: JSON.stringify({ email: "t@example.com", name: "T" }), contentType });
      expect(response.status, contentType).toBe(415);
      expect(response.body.error).toMatchObject({ code: "UNSUPPORTED_MEDIA_TYPE", module: "core.http" });
    }
    expect(snapshotDatabase(file)).toBe(before);
  });
});
