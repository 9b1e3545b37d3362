import { writeFileSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sha256Hex } from "../../../framework/access/api-tokens";
import { loadHttpSettings } from "../../../framework/http/http-settings";
import { auditRows, VAULT_SECRET, vaultFile, writeVaultModule } from "../../support/audit-module";
import { call, startApi, type ApiUnderTest } from "../../support/http-harness";
import { createModuleRoot } from "../../support/module-root";
import type { TempRoot } from "../../support/temp-root";

const SECRETS = { writer: "audit-writer-secret-0123456789", reader: "audit-reader-secret-0123456789", ops: "audit-ops-secret-0123456789", elsewhere: "audit-elsewhere-secret-0123456789" };
const TOKENS = {
  tokens: [
    { name: "writer", sha256: sha256Hex(SECRETS.writer), scopes: ["read", "write"] },
    { name: "reader", sha256: sha256Hex(SECRETS.reader), scopes: ["read"] },
    { name: "ops", sha256: sha256Hex(SECRETS.ops), scopes: ["admin"] },
    { name: "elsewhere", sha256: sha256Hex(SECRETS.elsewhere), scopes: ["admin"], databases: ["scraper"] },
  ],
};
const audit = "/api/v1/db/databases/vault/audit";
const accounts = "/api/v1/db/databases/vault/tables/accounts/records";

describe("GET /api/v1/db/databases/{db}/audit and the actors of token-authenticated writes", () => {
  let temp: TempRoot;
  let api: ApiUnderTest;

  beforeAll(async () => {
    temp = createModuleRoot("audit-route", ["scraper"]);
    writeVaultModule(temp);
    const tokensFile = path.join(temp.root, "tokens.json");
    writeFileSync(tokensFile, JSON.stringify(TOKENS));
    api = await startApi(temp, { settings: loadHttpSettings({ API_TOKENS_FILE: tokensFile })._unsafeUnwrap() }, { strict: true });
    for (const name of ["a", "b", "c", "d", "e"]) {
      const created = await call(api.url, "POST", accounts, { token: SECRETS.writer, json: { name, secret: VAULT_SECRET } });
      expect(created.status).toBe(201);
    }
    const memo = await call(api.url, "POST", "/api/v1/db/databases/vault/tables/memos/records", { token: SECRETS.ops, json: { body: "by ops" } });
    expect(memo.status).toBe(201);
  });

  afterAll(async () => {
    await api?.stop();
    temp?.remove();
  });

  it("records each write as the token that made it, with its request id", () => {
    const rows = auditRows(vaultFile(temp));
    expect(rows.map((row) => [row.actor, row.table_name, row.operation])).toEqual([
      ...["a", "b", "c", "d", "e"].map(() => ["writer", "accounts", "create"]),
      ["ops", "memos", "create"],
    ]);
    expect(new Set(rows.map((row) => row.request_id)).size).toBe(6);
    expect(JSON.stringify(rows)).not.toContain(VAULT_SECRET);
  });

  it("is for admin tokens only: anonymous 401, read and write tokens 403, a token limited to another database 403", async () => {
    expect((await call(api.url, "GET", audit)).status).toBe(401);
    for (const token of [SECRETS.reader, SECRETS.writer]) {
      const refused = await call(api.url, "GET", audit, { token });
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe("FORBIDDEN");
    }
    expect((await call(api.url, "GET", audit, { token: SECRETS.elsewhere })).status).toBe(403);
    expect((await call(api.url, "GET", "/api/v1/db/databases/scraper/audit", { token: SECRETS.elsewhere })).status).toBe(200);
  });

  it("answers newest first, paginated, with the changed columns and values but never a sensitive value", async () => {
    const first = await call(api.url, "GET", `${audit}?page_size=4`, { token: SECRETS.ops });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ success: true, database: "vault", page: 1, page_size: 4, total_records: 6, total_pages: 2 });
    expect(first.body.entries.map((entry: { table: string }) => entry.table)).toEqual(["memos", "accounts", "accounts", "accounts"]);
    const second = await call(api.url, "GET", `${audit}?page_size=4&page=2`, { token: SECRETS.ops });
    expect(second.body.entries.map((entry: { values: { name: string } }) => entry.values.name)).toEqual(["b", "a"]);
    expect(second.body.entries[0]).toMatchObject({ actor: "writer", operation: "create", changed_columns: ["name", "secret"], values: { name: "b" } });
    expect(second.body.entries[0].at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(first.text + second.text).not.toContain(VAULT_SECRET);
  });

  it("filters by table, record, actor and time", async () => {
    const get = async (query: string) => (await call(api.url, "GET", `${audit}?${query}`, { token: SECRETS.ops })).body;
    expect((await get("table=memos")).entries.map((entry: { actor: string }) => entry.actor)).toEqual(["ops"]);
    expect((await get("actor=writer")).total_records).toBe(5);
    expect((await get("record=3&table=accounts")).entries.map((entry: { values: { name: string } }) => entry.values.name)).toEqual(["c"]);
    expect((await get("actor=nobody")).total_records).toBe(0);
    const rows = auditRows(vaultFile(temp));
    const cut = rows[2]?.at as number;
    const later = await get(`from=${cut}`);
    expect(later.entries.every((entry: { at: string }) => Date.parse(entry.at) >= cut)).toBe(true);
    expect(later.total_records).toBe(rows.filter((row) => row.at >= cut).length);
    expect((await get(`to=${new Date(cut - 1).toISOString()}`)).total_records).toBe(rows.filter((row) => row.at < cut).length);
    expect((await get("from=2000-01-01T00:00:00Z&to=2000-01-02T00:00:00Z")).total_records).toBe(0);
  });

  it("refuses a bad time, an unknown parameter and an unknown database with the standard error shape", async () => {
    const bad = await call(api.url, "GET", `${audit}?from=yesterday`, { token: SECRETS.ops });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: "VALIDATION_FAILED", details: { parameter: "from" } });
    expect((await call(api.url, "GET", `${audit}?sort=at`, { token: SECRETS.ops })).status).toBe(400);
    const missing = await call(api.url, "GET", "/api/v1/db/databases/nowhere/audit", { token: SECRETS.ops });
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe("DATABASE_NOT_FOUND");
  });

  it("bulk writes through HTTP leave one row per record; the table itself is never part of the generic API", async () => {
    const before = auditRows(vaultFile(temp)).length;
    const bulk = await call(api.url, "PATCH", "/api/v1/db/databases/vault/tables/accounts/records?filter[id][lte]=3", { token: SECRETS.writer, json: { name: "renamed" } });
    expect(bulk.status, bulk.text).toBe(200);
    const rows = auditRows(vaultFile(temp)).slice(before);
    expect(rows.map((row) => [row.operation, row.record_key, row.actor])).toEqual(["1", "2", "3"].map((key) => ["update", key, "writer"]));
    expect((await call(api.url, "GET", "/api/v1/db/databases/vault/tables/moduledb_audit", { token: SECRETS.ops })).status).toBe(404);
    expect((await call(api.url, "POST", "/api/v1/db/databases/vault/tables/moduledb_audit/records", { token: SECRETS.ops, json: { actor: "forged" } })).status).toBe(404);
    const tables = await call(api.url, "GET", "/api/v1/db/databases/vault/tables", { token: SECRETS.ops });
    expect(tables.body.tables).not.toContain("moduledb_audit");
    const openapi = await call(api.url, "GET", "/api/v1/openapi.json");
    expect(openapi.text).not.toContain("/tables/moduledb_audit");
    expect(Object.keys(openapi.body.paths)).toContain("/api/v1/db/databases/{database}/audit");
  });

  it("a generic write to a scraper table leaves one moduledb_audit row and no scraper audit_logs row", async () => {
    const file = path.join(temp.dataDir, "scraper.db");
    const count = (table: string) => {
      const db = new Database(file, { readonly: true });
      try {
        return (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
      } finally {
        db.close();
      }
    };
    const logs = count("audit_logs");
    const audits = count("moduledb_audit");
    const tag = await call(api.url, "POST", "/api/v1/db/databases/scraper/tables/metadata_tags/records", { token: SECRETS.writer, json: { tag_type: "keyword", tag_key: "audit" } });
    expect(tag.status, tag.text).toBe(201);
    expect(count("audit_logs")).toBe(logs);
    expect(count("moduledb_audit")).toBe(audits + 1);
    const [row] = auditRows(file).slice(-1);
    // A uuid key generated by TypeORM is the record key.
    expect(row).toMatchObject({ table_name: "metadata_tags", operation: "create", actor: "writer", record_key: tag.body.data?.id ?? tag.body.record?.id });
  });
});
