import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, snapshotDatabase, startApi, type ApiUnderTest, type CallOptions } from "../../support/http-harness";
import { createTempRoot } from "../../support/temp-root";
import { SECRETS, SEED_ACCOUNTS, TEST_TOKEN, writeAccountsModule } from "./fixtures";

const temp = createTempRoot("http-security");
writeAccountsModule(temp);
const logLines: string[] = [];
let api: ApiUnderTest;
const base = "/api/v1/db/databases/accounts/tables";
const SENSITIVE_NAMES = ["password_hash", "api_token_hash"];

function accountsFile(): string {
  return api.framework.databases.entry("accounts")?.file ?? "";
}

/** Sends a request and asserts the accounts database is byte-for-byte unchanged afterwards. */
async function unchanged(method: string, path: string, options: CallOptions = {}) {
  const before = snapshotDatabase(accountsFile());
  const response = await call(api.url, method, path, options);
  expect(snapshotDatabase(accountsFile()), `${method} ${path} changed the database`).toBe(before);
  return response;
}

function expectNoSecrets(text: string): void {
  for (const secret of [...SECRETS, TEST_TOKEN]) expect(text).not.toContain(secret);
}

beforeAll(async () => {
  api = await startApi(temp, { settings: { apiToken: TEST_TOKEN, publicRead: true, logLevel: "info" }, logDestination: { write: (line) => void logLines.push(line) } });
  for (const account of SEED_ACCOUNTS) expect((await call(api.url, "POST", `${base}/accounts/records`, { json: account, token: TEST_TOKEN })).status).toBe(201);
});
afterAll(async () => {
  await api?.stop();
  temp.remove();
});

describe("bearer token on writing routes", () => {
  const writes: [string, string, CallOptions][] = [
    ["POST", `${base}/accounts/records`, { json: { email: "eve@example.com", name: "Eve" } }],
    ["PATCH", `${base}/accounts/records/1`, { json: { name: "Mallory" } }],
    ["DELETE", `${base}/accounts/records/1`, {}],
    ["POST", "/api/v1/db/migrations/generate", { json: { database: "accounts", message: "x" } }],
    ["POST", "/api/v1/db/migrations/run", { json: {} }],
  ];

  it("refuses every writing route without a token, with 401 and nothing changed", async () => {
    for (const [method, path, options] of writes) {
      const response = await unchanged(method, path, options);
      expect(response.status, `${method} ${path}`).toBe(401);
      expect(response.body.error).toMatchObject({ code: "UNAUTHORIZED", module: "core.http" });
      expect(response.headers.get("www-authenticate")).toContain("Bearer");
    }
  });

  it("refuses wrong, truncated, extended and non-bearer tokens", async () => {
    for (const authorization of [`Bearer wrong-token-0123456789`, `Bearer ${TEST_TOKEN.slice(0, -1)}`, `Bearer ${TEST_TOKEN}x`, `Basic ${TEST_TOKEN}`, TEST_TOKEN, "Bearer"]) {
      const response = await unchanged("POST", `${base}/accounts/records`, { json: { email: "eve@example.com", name: "Eve" }, headers: { authorization } });
      expect(response.status, authorization).toBe(401);
    }
  });

  it("checks the token before reading the body: an unauthenticated huge body gets 401, not 413", async () => {
    const response = await unchanged("POST", `${base}/accounts/records`, { raw: JSON.stringify({ name: "x".repeat(3_000_000) }) });
    expect(response.status).toBe(401);
  });

  it("accepts the right token on every writing route", async () => {
    const created = await call(api.url, "POST", `${base}/accounts/records`, { json: { email: "dee@example.com", name: "Dee" }, token: TEST_TOKEN });
    expect(created.status).toBe(201);
    const id = created.body.record.id as number;
    expect((await call(api.url, "PATCH", `${base}/accounts/records/${id}`, { json: { name: "Dee2" }, token: TEST_TOKEN })).status).toBe(200);
    expect((await call(api.url, "DELETE", `${base}/accounts/records/${id}`, { token: TEST_TOKEN })).status).toBe(200);
  });

  it("with API_PUBLIC_READ=true leaves reading routes open (closed by default: see test/framework/access/tokens.test.ts)", async () => {
    for (const path of ["/health", "/ready", "/api/v1/db/status", "/api/v1/db/databases", `${base}/accounts`, `${base}/accounts/schema`, `${base}/accounts/records/1`, "/api/v1/openapi.json"]) {
      expect((await call(api.url, "GET", path)).status, path).toBe(200);
    }
  });
});

describe("sensitive columns", () => {
  it("never appear in pages, single records, or the responses of create, update and delete", async () => {
    const responses = [
      await call(api.url, "GET", `${base}/accounts?page_size=1000`),
      await call(api.url, "GET", `${base}/accounts/records/1`),
      await call(api.url, "POST", `${base}/accounts/records`, { json: { email: "sec@example.com", name: "Sec", password_hash: "$argon2id$created-secret-DDD" }, token: TEST_TOKEN }),
    ];
    const id = responses[2]?.body.record.id as number;
    responses.push(await call(api.url, "PATCH", `${base}/accounts/records/${id}`, { json: { api_token_hash: "sha256:patched-secret-EEE" }, token: TEST_TOKEN }));
    responses.push(await call(api.url, "DELETE", `${base}/accounts/records/${id}`, { token: TEST_TOKEN }));
    for (const response of responses) {
      expect(response.status).toBeLessThan(300);
      for (const name of SENSITIVE_NAMES) expect(response.text).not.toContain(name);
      expectNoSecrets(response.text);
      expect(response.text).not.toContain("created-secret-DDD");
      expect(response.text).not.toContain("patched-secret-EEE");
    }
    expect(responses[0]?.body.records).toHaveLength(3);
    expect(Object.keys(responses[1]?.body.record ?? {}).sort()).toEqual(["created_at", "email", "id", "name", "priority", "status"]);
  });

  it("are still written: a sensitive value sent on create is stored", async () => {
    const created = await call(api.url, "POST", `${base}/accounts/records`, { json: { email: "w@example.com", name: "W", password_hash: "stored-hash-FFF" }, token: TEST_TOKEN });
    expect(created.status).toBe(201);
    expect(snapshotDatabase(accountsFile())).toContain("stored-hash-FFF");
    expect((await call(api.url, "DELETE", `${base}/accounts/records/${created.body.record.id as number}`, { token: TEST_TOKEN })).status).toBe(200);
  });

  it("are left out of the table schema and of the column lists errors offer", async () => {
    const schema = await call(api.url, "GET", `${base}/accounts/schema`);
    expect(schema.status).toBe(200);
    for (const name of SENSITIVE_NAMES) expect(schema.text).not.toContain(name);
    const unknownColumn = await call(api.url, "GET", `${base}/accounts?filter[nope][eq]=1`);
    expect(unknownColumn.body.error.code).toBe("COLUMN_NOT_FOUND");
    expect(unknownColumn.body.error.details.available_columns).toEqual(["id", "email", "name", "status", "priority", "created_at"]);
  });

  it("cannot be filtered or sorted on (400), even to probe a value", async () => {
    for (const [query, code] of [
      [`filter[password_hash][eq]=${encodeURIComponent(SECRETS[0] ?? "")}`, "INVALID_FILTER"],
      ["filter[api_token_hash][isnull]=false", "INVALID_FILTER"],
      ["filter[password_hash][like]=%25argon%25", "INVALID_FILTER"],
      ["sort=password_hash", "VALIDATION_FAILED"],
      ["sort=name,-api_token_hash", "VALIDATION_FAILED"],
    ] as const) {
      const response = await unchanged("GET", `${base}/accounts?${query}`);
      expect(response.status, query).toBe(400);
      expect(response.body.error.code, query).toBe(code);
      expectNoSecrets(response.text);
    }
  });

  it("do not leak through status, database lists or the OpenAPI document", async () => {
    for (const path of ["/api/v1/db/status", "/api/v1/db/databases", "/api/v1/openapi.json"]) expectNoSecrets((await call(api.url, "GET", path)).text);
  });
});

describe("hostile input changes nothing", () => {
  it("SQL in filter values is only ever a bound value", async () => {
    const injected = await unchanged("GET", `${base}/accounts?filter[name][eq]=${encodeURIComponent("' OR 1=1 --")}`);
    expect(injected.status).toBe(200);
    expect(injected.body.total_records).toBe(0);
    const liked = await unchanged("GET", `${base}/accounts?filter[name][like]=${encodeURIComponent("%'; DROP TABLE accounts; --")}`);
    expect(liked.status).toBe(200);
    expect(liked.body.total_records).toBe(0);
    const listed = await unchanged("GET", `${base}/accounts?filter[priority][in]=${encodeURIComponent("1) OR (1=1")}`);
    expect(listed.status).toBe(400);
    expect(listed.body.error.code).toBe("INVALID_FILTER");
  });

  it("SQL in column names, sort keys, table and database names is refused", async () => {
    const cases: [string, number, string][] = [
      [`${base}/accounts?filter[${encodeURIComponent("name; DROP TABLE accounts; --")}][eq]=1`, 400, "COLUMN_NOT_FOUND"],
      [`${base}/accounts?filter[${encodeURIComponent('name" = "name')}][eq]=1`, 400, "COLUMN_NOT_FOUND"],
      [`${base}/accounts?sort=${encodeURIComponent("name; DROP TABLE accounts")}`, 400, "COLUMN_NOT_FOUND"],
      [`${base}/accounts?sort=${encodeURIComponent("(SELECT password_hash FROM accounts)")}`, 400, "COLUMN_NOT_FOUND"],
      [`${base}/accounts?sort=${encodeURIComponent("name DESC")}`, 400, "COLUMN_NOT_FOUND"],
      [`${base}/${encodeURIComponent("accounts; DROP TABLE accounts")}`, 404, "TABLE_NOT_FOUND"],
      [`/api/v1/db/databases/${encodeURIComponent("../framework")}/tables`, 404, "DATABASE_NOT_FOUND"],
      [`${base}/accounts/records/${encodeURIComponent("1 OR 1=1")}`, 400, "VALIDATION_FAILED"],
    ];
    for (const [path, status, code] of cases) {
      const response = await unchanged("GET", path);
      expect(response.status, path).toBe(status);
      expect(response.body.error.code, path).toBe(code);
    }
    const body = await unchanged("POST", `${base}/accounts/records`, { json: { "name) VALUES ('x'); DROP TABLE accounts; --": "x", email: "z@example.com", name: "Z" }, token: TEST_TOKEN });
    expect(body.status).toBe(400);
    expect(body.body.error.code).toBe("COLUMN_NOT_FOUND");
    const deleted = await unchanged("DELETE", `${base}/accounts/records/${encodeURIComponent("1 OR 1=1")}`, { token: TEST_TOKEN });
    expect(deleted.status).toBe(400);
  });

  it("unknown operators are refused", async () => {
    for (const op of ["regex", "or", "EQ", "eq;", "__proto__"]) {
      const response = await unchanged("GET", `${base}/accounts?filter[name][${encodeURIComponent(op)}]=Ada`);
      expect(response.status, op).toBe(400);
      expect(response.body.error.code, op).toBe("INVALID_FILTER");
    }
  });

  it("huge pages are refused; the largest allowed page works", async () => {
    for (const query of ["page_size=1001", "page_size=100000000", "page=99999999999", "page_size=-1", "page_size=1e9", "page_size=10&page_size=20"]) {
      const response = await unchanged("GET", `${base}/accounts?${query}`);
      expect(response.status, query).toBe(400);
      expect(response.body.error.code, query).toBe("VALIDATION_FAILED");
    }
    expect((await call(api.url, "GET", `${base}/accounts?page_size=1000`)).status).toBe(200);
  });

  it("malformed JSON, empty JSON and prototype poisoning are refused", async () => {
    for (const raw of ['{"email":', "{'email': 'a'}", "", '{"__proto__": {"admin": true}, "email": "p@example.com", "name": "P"}', '{"constructor": {"prototype": {"admin": true}}}']) {
      const response = await unchanged("POST", `${base}/accounts/records`, { raw, token: TEST_TOKEN });
      expect(response.status, raw).toBe(400);
      expect(response.body.error.code, raw).toBe("VALIDATION_FAILED");
    }
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });

  it("oversized bodies get 413 and are not stored", async () => {
    const response = await unchanged("POST", `${base}/accounts/records`, { json: { email: "big@example.com", name: "x".repeat(1_100_000) }, token: TEST_TOKEN });
    expect(response.status).toBe(413);
    expect(response.body.error).toMatchObject({ code: "PAYLOAD_TOO_LARGE", details: { limit_bytes: 1_048_576 } });
  });

  it("malformed or excessive query strings are refused without polluting prototypes", async () => {
    const many = Array.from({ length: 300 }, (_, index) => `filter[name][eq]=${index}`).join("&");
    for (const query of [many, "a[b][c][d]=1", "filter[name]]=1", "filter[__proto__][eq]=1", "filter[constructor][prototype][eq]=1"]) {
      const response = await unchanged("GET", `${base}/accounts?${query}`);
      expect(response.status, query.slice(0, 40)).toBe(400);
    }
    expect(({} as Record<string, unknown>).eq).toBeUndefined();
  });
});

describe("request logs", () => {
  it("carry request ids and never a token or a sensitive value", async () => {
    await call(api.url, "GET", `${base}/accounts?filter[password_hash][eq]=${encodeURIComponent(SECRETS[0] ?? "")}`, { token: TEST_TOKEN });
    await call(api.url, "GET", `/health?token=${TEST_TOKEN}`);
    await call(api.url, "POST", `${base}/accounts/records`, { json: { email: "log@example.com", name: "Log", password_hash: SECRETS[2] }, token: TEST_TOKEN });
    const log = logLines.join("");
    expect(logLines.length).toBeGreaterThan(10);
    const entries = logLines.map((line) => JSON.parse(line) as { reqId?: string; msg?: string });
    expect(entries.filter((entry) => entry.msg === "incoming request").every((entry) => typeof entry.reqId === "string" && entry.reqId.length > 0)).toBe(true);
    expectNoSecrets(log);
    expect(log).toContain("filter[password_hash][eq]=[redacted]");
  });
});
