import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, snapshotDatabase, startApi, type ApiResponse, type ApiUnderTest } from "../../support/http-harness";
import { createModuleRoot } from "../../support/module-root";
import type { TempRoot } from "../../support/temp-root";
import type { Framework } from "../../../framework/boot/framework";
import type { FastifyInstance } from "fastify";

/** The real seed modules behind the default server (no token, loopback): what the generic API refuses. */
let temp: TempRoot;
let api: ApiUnderTest;
let framework: Framework;
let app: FastifyInstance;
let url: string;
const db = (database: string) => `/api/v1/db/databases/${database}/tables`;

function fileOf(database: string): string {
  return framework.databases.entry(database)?.file ?? "";
}

/** Sends a request and asserts every database file is unchanged afterwards. */
async function refused(method: string, path: string, json?: unknown): Promise<ApiResponse> {
  const names = framework.databases.names();
  const before = names.map((name) => snapshotDatabase(fileOf(name)));
  const response = await call(url, method, path, json === undefined ? {} : { json });
  expect(names.map((name) => snapshotDatabase(fileOf(name))), `${method} ${path} changed a database`).toEqual(before);
  return response;
}

beforeAll(async () => {
  temp = createModuleRoot("seed-policies", ["ciap", "scraper", "docs"]);
  api = await startApi(temp, {}, { strict: true });
  ({ framework, app, url } = api);
});
afterAll(async () => {
  await api?.stop();
  temp?.remove();
});

describe("read tables: generic writes are 403 TABLE_READ_ONLY with nothing written", () => {
  const readOnly: [string, string, Record<string, unknown>][] = [
    ["scraper", "users", { username: "mallory", email: "m@example.com", password_hash: "plain", role: "admin" }],
    ["scraper", "system_configurations", { config_key: "x", config_value: "y" }],
    ["scraper", "audit_logs", { action: "forged" }],
    ["ciap", "task_queue", { task_type: "scrape", payload: {} }],
  ];

  it.each(readOnly)("%s.%s refuses POST, PATCH and DELETE", async (database, table, values) => {
    for (const [method, path, body] of [
      ["POST", `${db(database)}/${table}/records`, values],
      ["PATCH", `${db(database)}/${table}/records/1`, { id: 2 }],
      ["DELETE", `${db(database)}/${table}/records/1`, undefined],
    ] as const) {
      const response = await refused(method, path, body);
      expect(response.status, `${method} ${path}`).toBe(403);
      expect(response.body.error).toMatchObject({ code: "TABLE_READ_ONLY", module: "core.http", details: { database, table_name: table, access: "read" } });
    }
  });

  it("they stay readable: page, schema (with access: read) and the table list", async () => {
    const page = await call(url, "GET", `${db("scraper")}/users`);
    expect(page.status).toBe(200);
    const schema = await call(url, "GET", `${db("scraper")}/users/schema`);
    expect(schema.body.access).toBe("read");
    expect(schema.body.schema_definition.columns.map((column: { name: string }) => column.name)).not.toContain("password_hash");
    const tables = await call(url, "GET", db("scraper"));
    expect(tables.body.access).toMatchObject({ users: "read", scraping_jobs: "read-write", audit_logs: "read", system_configurations: "read" });
  });

  it("a read-write table still takes writes", async () => {
    const created = await call(url, "POST", `${db("ciap")}/searches/records`, { json: { query: "acme" } });
    expect(created.status).toBe(201);
  });
});

describe("hidden tables answer exactly like absent ones", () => {
  const hidden: [string, string][] = [
    ["scraper", "user_sessions"],
    ["docs", "search_cache"],
    ["framework", "cache_entries"],
    ["framework", "framework_boots"],
    ["framework", "framework_modules"],
  ];

  it.each(hidden)("%s.%s: 404 TABLE_NOT_FOUND on every generic route, nothing written", async (database, table) => {
    const absent = await call(url, "GET", `${db(database)}/no_such_table`);
    for (const [method, path, body] of [
      ["GET", `${db(database)}/${table}`, undefined],
      ["GET", `${db(database)}/${table}/schema`, undefined],
      ["GET", `${db(database)}/${table}/records/1`, undefined],
      ["POST", `${db(database)}/${table}/records`, { key: "k", value: "poison" }],
      ["PATCH", `${db(database)}/${table}/records/1`, { value: "poison" }],
      ["DELETE", `${db(database)}/${table}/records/1`, undefined],
    ] as const) {
      const response = await refused(method, path, body);
      expect(response.status, `${method} ${path}`).toBe(404);
      expect(response.body.error.code).toBe("TABLE_NOT_FOUND");
      // The same help as for a table that does not exist: the hidden table is never offered.
      expect(response.body.error.details.available_tables).toEqual(absent.body.error.details.available_tables);
      expect(response.body.error.details.available_tables).not.toContain(table);
      expect(response.body.error.message).toBe(`Table '${table}' not found in database '${database}'.`);
    }
  });

  it("are never listed: table lists, database table counts, the OpenAPI document", async () => {
    expect((await call(url, "GET", db("scraper"))).body.tables).not.toContain("user_sessions");
    expect((await call(url, "GET", db("docs"))).body.tables).not.toContain("search_cache");
    expect((await call(url, "GET", db("framework"))).body.tables).toEqual([]);
    const databases = (await call(url, "GET", "/api/v1/db/databases")).body.databases as { name: string; table_count: number }[];
    expect(databases.find((entry) => entry.name === "framework")?.table_count).toBe(0);
    const document = (await call(url, "GET", "/api/v1/openapi.json")).body;
    const tables = document["x-moduledb-tables"];
    expect(tables.scraper).toMatchObject({ users: "read", scraping_jobs: "read-write" });
    expect(Object.keys(tables.scraper)).not.toContain("user_sessions");
    expect(Object.keys(tables.docs)).not.toContain("search_cache");
    expect(tables.framework).toEqual({});
    expect(JSON.stringify(document)).not.toContain("user_sessions");
  });
});

describe("the query-language and transfer routes follow the same policy", () => {
  it("bulk PATCH/DELETE and restore on a read table are 403 TABLE_READ_ONLY with nothing written", async () => {
    for (const [method, path, body] of [
      ["PATCH", `${db("ciap")}/task_queue/records?filter[id][gte]=0`, { status: "completed" }],
      ["DELETE", `${db("ciap")}/task_queue/records?filter[id][gte]=0`, undefined],
      ["PATCH", `${db("scraper")}/users/records?filter[role][eq]=user`, { role: "admin" }],
    ] as const) {
      const response = await refused(method, path, body);
      expect(response.status, `${method} ${path}`).toBe(403);
      expect(response.body.error.code).toBe("TABLE_READ_ONLY");
    }
  });

  it("export, aggregate and the database-less routes never reveal a hidden table", async () => {
    for (const path of [`${db("scraper")}/user_sessions/export`, `${db("docs")}/search_cache/aggregate?count=true`, `${db("framework")}/cache_entries/export`]) {
      const response = await refused("GET", path);
      expect([404, 400], path).toContain(response.status);
      if (response.status === 404) expect(response.body.error.code).toBe("TABLE_NOT_FOUND");
      expect(response.text).not.toContain('"records"');
    }
    const unscoped = await call(url, "GET", "/api/v1/db/tables/user_sessions", {});
    expect(unscoped.status).toBe(404);
    // Exactly the answer for a table that does not exist anywhere.
    const absent = await call(url, "GET", "/api/v1/db/tables/no_such_table", {});
    expect(unscoped.body.error.details.databases).toEqual(absent.body.error.details.databases);
    expect(unscoped.body.error.code).toBe(absent.body.error.code);
    // A visible table is still found (fetch follows the 307 to the database-scoped page).
    const visible = await call(url, "GET", "/api/v1/db/tables/users", {});
    expect(visible.status).toBe(200);
    expect(visible.body).toMatchObject({ database: "scraper", table: "users" });
  });
});
