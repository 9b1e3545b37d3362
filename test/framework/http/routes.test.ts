import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_ERROR_CODES } from "../../../framework/http/errors/api-error";
import { call, snapshotDatabase, startApi, type ApiUnderTest } from "../../support/http-harness";
import { createTempRoot } from "../../support/temp-root";
import { SEED_ACCOUNTS, writeAccountsModule } from "./fixtures";

const temp = createTempRoot("http-routes");
writeAccountsModule(temp);
let api: ApiUnderTest;
const base = "/api/v1/db/databases/accounts/tables";

function accountsFile(): string {
  return api.framework.databases.entry("accounts")?.file ?? "";
}

beforeAll(async () => {
  api = await startApi(temp);
  for (const account of SEED_ACCOUNTS) expect((await call(api.url, "POST", `${base}/accounts/records`, { json: account })).status).toBe(201);
});
afterAll(async () => {
  await api?.stop();
  temp.remove();
});

describe("status routes", () => {
  it("GET /health answers ok", async () => {
    const response = await call(api.url, "GET", "/health");
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: "ok" });
  });

  it("GET /api/v1/db/is-ready and /ready are 200 with every database healthy", async () => {
    for (const path of ["/api/v1/db/is-ready", "/ready"]) {
      const response = await call(api.url, "GET", path);
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ ready: true, status: "ready" });
    }
  });

  it("GET /api/v1/db/status lists every database with tables, health and pending migrations", async () => {
    const response = await call(api.url, "GET", "/api/v1/db/status");
    expect(response.status).toBe(200);
    expect(response.body.status).toBe("connected");
    expect(response.body.engine).toBe("sqlite");
    expect(response.body.initialization).toMatchObject({ module_count: 1, healthy_modules: 1, database_count: 2, ready_databases: 2 });
    const accounts = response.body.databases.find((database: { name: string }) => database.name === "accounts");
    expect(accounts).toMatchObject({ state: "ready", tables: ["accounts", "notes"], table_count: 2, modules: ["accounts"] });
    expect(accounts.health.healthy).toBe(true);
    expect(accounts).toHaveProperty("pending_migrations");
    expect(accounts.file).toBe(accountsFile());
  });

  it("every response carries a request id, and a plain X-Request-Id is echoed back", async () => {
    expect((await call(api.url, "GET", "/health")).headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    expect((await call(api.url, "GET", "/health", { headers: { "x-request-id": "trace-42" } })).headers.get("x-request-id")).toBe("trace-42");
    // An unsafe id is replaced by a generated one (not merely trimmed).
    expect((await call(api.url, "GET", "/health", { headers: { "x-request-id": "bad id\twith tabs" } })).headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe("database and table routes", () => {
  it("GET /api/v1/db/databases lists every database", async () => {
    const response = await call(api.url, "GET", "/api/v1/db/databases");
    expect(response.status).toBe(200);
    expect(response.body.success).toBe(true);
    expect(response.body.databases.map((database: { name: string }) => database.name)).toEqual(["accounts", "framework"]);
    expect(response.body.databases[0]).toMatchObject({ state: "ready", table_count: 2, modules: ["accounts"] });
  });

  it("GET …/:database/tables lists a database's tables", async () => {
    const response = await call(api.url, "GET", "/api/v1/db/databases/accounts/tables");
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ success: true, database: "accounts", tables: ["accounts", "notes"], access: { accounts: "read-write", notes: "read-write" } });
  });

  it("GET …/tables/:table returns a page with the seed's fields", async () => {
    const response = await call(api.url, "GET", `${base}/accounts?page=1&page_size=2&sort=priority`);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ success: true, database: "accounts", table: "accounts", page: 1, page_size: 2, total_records: 3, total_pages: 2 });
    expect(response.body.records.map((record: { name: string }) => record.name)).toEqual(["Ada", "Bob"]);
    const second = await call(api.url, "GET", `${base}/accounts?page=2&page_size=2&sort=priority`);
    expect(second.body.records.map((record: { name: string }) => record.name)).toEqual(["Cy"]);
  });

  it("sorts on several columns, descending with '-'", async () => {
    const response = await call(api.url, "GET", `${base}/accounts?sort=-status,-priority`);
    expect(response.body.records.map((record: { name: string }) => record.name)).toEqual(["Bob", "Cy", "Ada"]);
  });

  it("filters with eq, in, gte, like and isnull", async () => {
    const names = async (query: string) => (await call(api.url, "GET", `${base}/accounts?${query}`)).body.records.map((record: { name: string }) => record.name);
    expect(await names("filter[status][eq]=active&sort=name")).toEqual(["Ada", "Cy"]);
    expect(await names("filter[priority][in]=1,2&sort=name")).toEqual(["Ada", "Bob"]);
    expect(await names("filter[priority][gte]=2&filter[status][ne]=disabled")).toEqual(["Cy"]);
    expect(await names("filter[email][like]=b%25")).toEqual(["Bob"]);
    expect(await names("filter[name][isnull]=false&sort=-name")).toEqual(["Cy", "Bob", "Ada"]);
  });

  it("GET …/tables/:table/schema describes columns, indexes, foreign keys and checks", async () => {
    const response = await call(api.url, "GET", `${base}/notes/schema`);
    expect(response.status).toBe(200);
    const schema = response.body.schema_definition;
    expect(schema.columns.map((column: { name: string }) => column.name)).toEqual(["id", "account_id", "body"]);
    expect(schema.columns[0]).toMatchObject({ name: "id", type: "integer", nullable: false, primary: true, generated: true });
    expect(schema.foreign_keys).toEqual([expect.objectContaining({ columns: ["account_id"], referenced_table: "accounts", referenced_columns: ["id"], on_delete: "CASCADE" })]);
    expect(schema.checks).toEqual([]);
    const accounts = (await call(api.url, "GET", `${base}/accounts/schema`)).body.schema_definition;
    expect(accounts.columns.find((column: { name: string }) => column.name === "email")).toMatchObject({ unique: true, nullable: false, type: "varchar", length: "200" });
    expect(accounts.columns.find((column: { name: string }) => column.name === "status")).toMatchObject({ default: "'active'" });
    expect(accounts.indexes).toEqual(expect.arrayContaining([{ name: "idx_accounts_status", columns: ["status"], unique: false }]));
  });
});

describe("record routes", () => {
  it("creates, reads, updates and deletes a record", async () => {
    const created = await call(api.url, "POST", `${base}/notes/records`, { json: { account_id: 1, body: "first" } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ success: true, database: "accounts", table: "notes", record: { account_id: 1, body: "first" } });
    const id = created.body.record.id as number;

    const read = await call(api.url, "GET", `${base}/notes/records/${id}`);
    expect(read.status).toBe(200);
    expect(read.body.record).toEqual({ id, account_id: 1, body: "first" });

    const patched = await call(api.url, "PATCH", `${base}/notes/records/${id}`, { json: { body: "changed" } });
    expect(patched.status).toBe(200);
    expect(patched.body.record).toEqual({ id, account_id: 1, body: "changed" });

    const deleted = await call(api.url, "DELETE", `${base}/notes/records/${id}`);
    expect(deleted.status).toBe(200);
    expect(deleted.body.record).toEqual({ id, account_id: 1, body: "changed" });
    expect((await call(api.url, "GET", `${base}/notes/records/${id}`)).status).toBe(404);
  });
});

describe("error codes and statuses", () => {
  async function expectError(method: string, path: string, status: number, code: string, options: Parameters<typeof call>[3] = {}) {
    const before = snapshotDatabase(accountsFile());
    const response = await call(api.url, method, path, options);
    expect(response.status, response.text).toBe(status);
    expect(Object.keys(response.body)).toEqual(["error"]);
    expect(Object.keys(response.body.error).sort()).toEqual(["code", "details", "message", "module"]);
    expect(response.body.error.code).toBe(code);
    expect(typeof response.body.error.message).toBe("string");
    expect(snapshotDatabase(accountsFile())).toBe(before);
    return response.body.error as { code: string; message: string; module: string; details: Record<string, unknown> };
  }

  it("DATABASE_NOT_FOUND is 404 with available_databases", async () => {
    const error = await expectError("GET", "/api/v1/db/databases/nope/tables", 404, "DATABASE_NOT_FOUND");
    expect(error.details.available_databases).toEqual(["accounts", "framework"]);
    expect(error.module).toBe("core.database");
  });

  it("TABLE_NOT_FOUND is 404 with available_tables", async () => {
    const error = await expectError("GET", `${base}/nope?page=1`, 404, "TABLE_NOT_FOUND");
    expect(error.details.available_tables).toEqual(["accounts", "notes"]);
    await expectError("GET", `${base}/nope/schema`, 404, "TABLE_NOT_FOUND");
    await expectError("POST", `${base}/nope/records`, 404, "TABLE_NOT_FOUND", { json: { a: 1 } });
  });

  it("RECORD_NOT_FOUND is 404 on get, update and delete", async () => {
    await expectError("GET", `${base}/accounts/records/999`, 404, "RECORD_NOT_FOUND");
    await expectError("PATCH", `${base}/accounts/records/999`, 404, "RECORD_NOT_FOUND", { json: { name: "x" } });
    await expectError("DELETE", `${base}/accounts/records/999`, 404, "RECORD_NOT_FOUND");
  });

  it("COLUMN_NOT_FOUND is 400 for unknown filter, sort and record columns", async () => {
    await expectError("GET", `${base}/accounts?filter[nope][eq]=1`, 400, "COLUMN_NOT_FOUND");
    await expectError("GET", `${base}/accounts?sort=nope`, 400, "COLUMN_NOT_FOUND");
    await expectError("POST", `${base}/accounts/records`, 400, "COLUMN_NOT_FOUND", { json: { email: "new@example.com", name: "N", nope: 1 } });
  });

  it("INVALID_FILTER is 400 for unknown operators, bad values and malformed filters", async () => {
    await expectError("GET", `${base}/accounts?filter[status][regex]=.*`, 400, "INVALID_FILTER");
    await expectError("GET", `${base}/accounts?filter[priority][gt]=high`, 400, "INVALID_FILTER");
    await expectError("GET", `${base}/accounts?filter[status]=active`, 400, "INVALID_FILTER");
  });

  it("VALIDATION_FAILED is 400 for bad pages, unknown parameters, bad values and missing columns", async () => {
    await expectError("GET", `${base}/accounts?page=0`, 400, "VALIDATION_FAILED");
    await expectError("GET", `${base}/accounts?page=abc`, 400, "VALIDATION_FAILED");
    await expectError("GET", `${base}/accounts?page=99`, 400, "VALIDATION_FAILED");
    await expectError("GET", `${base}/accounts?pagesize=10`, 400, "VALIDATION_FAILED");
    await expectError("POST", `${base}/accounts/records`, 400, "VALIDATION_FAILED", { json: { email: "x@example.com" } });
    await expectError("POST", `${base}/accounts/records`, 400, "VALIDATION_FAILED", { json: [1, 2] });
    await expectError("PATCH", `${base}/accounts/records/1`, 400, "VALIDATION_FAILED", { json: { priority: "high" } });
    await expectError("PATCH", `${base}/accounts/records/1`, 400, "VALIDATION_FAILED", { json: { id: 7 } });
    await expectError("PATCH", `${base}/accounts/records/1`, 400, "VALIDATION_FAILED", { json: {} });
  });

  it("CONSTRAINT_VIOLATION is 409 for a duplicate unique value and a missing foreign key", async () => {
    await expectError("POST", `${base}/accounts/records`, 409, "CONSTRAINT_VIOLATION", { json: { email: "ada@example.com", name: "Again" } });
    await expectError("POST", `${base}/notes/records`, 409, "CONSTRAINT_VIOLATION", { json: { account_id: 999, body: "orphan" } });
  });

  it("ROUTE_NOT_FOUND is 404 for unknown paths and methods", async () => {
    await expectError("GET", "/api/v1/db/nothing", 404, "ROUTE_NOT_FOUND");
    await expectError("PUT", `${base}/accounts/records/1`, 404, "ROUTE_NOT_FOUND", { json: { name: "x" } });
  });

  it("UNSUPPORTED_MEDIA_TYPE is 415 for a non-JSON body", async () => {
    await expectError("POST", `${base}/accounts/records`, 415, "UNSUPPORTED_MEDIA_TYPE", { raw: "email=a@b.c", contentType: "application/x-www-form-urlencoded" });
  });

  it("every code the API can send is in the error schema's enum", async () => {
    const document = (await call(api.url, "GET", "/api/v1/openapi.json")).body;
    const errorSchema = document.paths["/health"].get.responses["4XX"].content["application/json"].schema;
    expect(errorSchema.properties.error.properties.code.enum).toEqual([...API_ERROR_CODES]);
  });
});

describe("OpenAPI document", () => {
  it("describes every registered route with its parameters and schemas", async () => {
    const response = await call(api.url, "GET", "/api/v1/openapi.json");
    expect(response.status).toBe(200);
    const document = response.body;
    expect(document.openapi).toBe("3.1.0");
    // Concrete per-table paths (…/databases/accounts/tables/accounts/records) are checked in test/framework/http/openapi.
    const routePaths = Object.entries(document.paths as Record<string, Record<string, unknown>>).filter(([path]) => !(path.includes("/databases/") && !path.includes("{database}")));
    expect(Object.keys(document.paths)).toContain("/api/v1/db/databases/accounts/tables/accounts/records");
    const operations = routePaths.flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`));
    expect(operations.sort()).toEqual(
      [
        "GET /health",
        "GET /metrics",
        "GET /ready",
        "GET /api/v1/db/is-ready",
        "GET /api/v1/db/status",
        "GET /api/v1/db/databases",
        "GET /api/v1/db/databases/{database}/tables",
        "GET /api/v1/db/databases/{database}/tables/{table}",
        "GET /api/v1/db/databases/{database}/tables/{table}/schema",
        "GET /api/v1/db/databases/{database}/erd",
        "POST /api/v1/db/databases/{database}/tables/{table}/records",
        "GET /api/v1/db/databases/{database}/tables/{table}/records/{id}",
        "PATCH /api/v1/db/databases/{database}/tables/{table}/records/{id}",
        "DELETE /api/v1/db/databases/{database}/tables/{table}/records/{id}",
        "GET /api/v1/db/databases/{database}/tables/{table}/aggregate",
        "PATCH /api/v1/db/databases/{database}/tables/{table}/records",
        "DELETE /api/v1/db/databases/{database}/tables/{table}/records",
        "POST /api/v1/db/databases/{database}/tables/{table}/records/{id}/restore",
        "GET /api/v1/db/databases/{database}/tables/{table}/export",
        "POST /api/v1/db/databases/{database}/tables/{table}/import",
        "GET /api/v1/db/migrations/status",
        "POST /api/v1/db/migrations/generate",
        "POST /api/v1/db/migrations/run",
        "POST /api/v1/db/databases/{database}/reload",
        "GET /api/v1/db/operations",
        "GET /api/v1/db/databases/{database}/audit",
        "GET /api/v1/db/settings",
        "GET /api/v1/db/tables",
        "GET /api/v1/db/tables/{table}",
        "GET /api/v1/db/tables/{table}/schema",
        "GET /api/v1/openapi.json",
      ].sort(),
    );
    const page = document.paths["/api/v1/db/databases/{database}/tables/{table}"].get;
    expect(page.parameters.map((parameter: { name: string; in: string }) => `${parameter.in}:${parameter.name}`)).toEqual([
      "path:database",
      "path:table",
      "query:page",
      "query:page_size",
      "query:sort",
      "query:filter",
      "query:fields",
      "query:include",
      "query:cursor",
      "query:count",
      "query:with_deleted",
    ]);
    expect(page.parameters.find((parameter: { name: string }) => parameter.name === "page_size").schema.maximum).toBe(1000);
    expect(page.parameters.find((parameter: { name: string }) => parameter.name === "filter")).toMatchObject({ style: "deepObject", explode: true });
    const create = document.paths["/api/v1/db/databases/{database}/tables/{table}/records"].post;
    expect(create.security).toEqual([{ bearerAuth: [] }]);
    expect(create.requestBody.content["application/json"].schema.type).toBe("object");
    expect(Object.keys(create.responses)).toEqual(["201", "4XX", "5XX"]);
    expect(document.components.securitySchemes.bearerAuth).toMatchObject({ type: "http", scheme: "bearer" });
  });
});

describe("draining (runs last: the server stays in its stopping phase)", () => {
  it("NOT_READY is 503 on every route but the probes once shutdown has begun; nothing is written", async () => {
    const before = snapshotDatabase(accountsFile());
    api.state.markStopping();
    const readiness = await call(api.url, "GET", "/api/v1/db/is-ready");
    expect(readiness.status).toBe(503);
    expect(readiness.body).toMatchObject({ ready: false, status: "stopping" });
    expect((await call(api.url, "GET", "/health")).status).toBe(200);
    for (const [method, path] of [["GET", "/api/v1/db/databases"], ["POST", `${base}/accounts/records`]] as const) {
      const response = await call(api.url, method, path, { json: method === "POST" ? { email: "late@example.com", name: "Late" } : undefined });
      expect(response.status).toBe(503);
      expect(response.body.error).toMatchObject({ code: "NOT_READY", module: "core.http" });
    }
    expect(snapshotDatabase(accountsFile())).toBe(before);
  });
});
