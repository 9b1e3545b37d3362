import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findToken, loadTokensFile, sha256Hex } from "../../../framework/access/api-tokens";
import type { Framework } from "../../../framework/boot/framework";
import { buildServer } from "../../../framework/http/build-server";
import { loadHttpSettings } from "../../../framework/http/http-settings";
import { call, snapshotDatabase, startApi, type ApiUnderTest } from "../../support/http-harness";
import { createModuleRoot } from "../../support/module-root";
import { rawRequest } from "../../support/raw-request";
import type { TempRoot } from "../../support/temp-root";
import type { FastifyInstance } from "fastify";

const SECRETS = { reader: "reader-secret-0123456789", writer: "writer-secret-0123456789", admin: "admin-secret-0123456789", ciap: "ciap-only-secret-0123456789" };
const tokensJson = {
  tokens: [
    { name: "reader", sha256: sha256Hex(SECRETS.reader), scopes: ["read"] },
    { name: "writer", sha256: sha256Hex(SECRETS.writer), scopes: ["read", "write"] },
    { name: "ops", sha256: sha256Hex(SECRETS.admin), scopes: ["admin"] },
    { name: "ciap-app", sha256: sha256Hex(SECRETS.ciap), scopes: ["read", "write"], databases: ["ciap"] },
  ],
};

let temp: TempRoot;
let api: ApiUnderTest;
let framework: Framework;
let app: FastifyInstance;
let url: string;
let tokensFile: string;
const searches = "/api/v1/db/databases/ciap/tables/searches";

beforeAll(async () => {
  temp = createModuleRoot("tokens", ["ciap", "docs"]);
  tokensFile = path.join(temp.root, "tokens.json");
  writeFileSync(tokensFile, JSON.stringify(tokensJson));
  const settings = loadHttpSettings({ API_TOKENS_FILE: tokensFile })._unsafeUnwrap();
  api = await startApi(temp, { settings }, { strict: true });
  ({ framework, app, url } = api);
});
afterAll(async () => {
  await api?.stop();
  temp?.remove();
});

describe("API_TOKENS_FILE", () => {
  it("is validated at start: a bad file is INVALID_SETTING naming the variable", () => {
    for (const content of ["not json", JSON.stringify({}), JSON.stringify({ tokens: [{ name: "x", sha256: "abc", scopes: ["read"] }] }), JSON.stringify({ tokens: [{ name: "x", sha256: sha256Hex("s"), scopes: ["root"] }] }), JSON.stringify({ tokens: [tokensJson.tokens[0], tokensJson.tokens[0]] })]) {
      const file = path.join(temp.root, "bad.json");
      writeFileSync(file, content);
      expect(loadHttpSettings({ API_TOKENS_FILE: file })._unsafeUnwrapErr(), content).toMatchObject({ code: "INVALID_SETTING", variable: "API_TOKENS_FILE" });
    }
    expect(loadHttpSettings({ API_TOKENS_FILE: path.join(temp.root, "missing.json") })._unsafeUnwrapErr()).toMatchObject({ variable: "API_TOKENS_FILE" });
    expect(loadTokensFile(tokensFile)._unsafeUnwrap()).toHaveLength(4);
  });

  it("lets a non-loopback HOST start, as API_TOKEN does", () => {
    expect(loadHttpSettings({ HOST: "0.0.0.0", API_TOKENS_FILE: tokensFile }).isOk()).toBe(true);
  });

  it("finds a token by hash only", () => {
    const entries = loadTokensFile(tokensFile)._unsafeUnwrap();
    expect(findToken(SECRETS.writer, entries)?.name).toBe("writer");
    expect(findToken(sha256Hex(SECRETS.writer), entries)).toBeUndefined();
    expect(findToken(`${SECRETS.writer}x`, entries)).toBeUndefined();
  });
});

describe("with tokens configured", () => {
  it("anonymous reads are 401 UNAUTHORIZED; probes and the OpenAPI document stay open", async () => {
    for (const route of [searches, "/api/v1/db/databases", "/api/v1/db/status", `${searches}/schema`]) {
      const response = await call(url, "GET", route);
      expect(response.status, route).toBe(401);
      expect(response.body.error).toMatchObject({ code: "UNAUTHORIZED", module: "core.http" });
    }
    for (const route of ["/health", "/ready", "/api/v1/openapi.json"]) expect((await call(url, "GET", route)).status, route).toBe(200);
  });

  it("a read token reads but cannot write (403 FORBIDDEN, nothing written)", async () => {
    expect((await call(url, "GET", searches, { token: SECRETS.reader })).status).toBe(200);
    const file = framework.databases.entry("ciap")?.file ?? "";
    const before = snapshotDatabase(file);
    const response = await call(url, "POST", `${searches}/records`, { json: { query: "q" }, token: SECRETS.reader });
    expect(response.status).toBe(403);
    expect(response.body.error).toMatchObject({ code: "FORBIDDEN", details: { required_scope: "write", token: "reader" } });
    expect(snapshotDatabase(file)).toBe(before);
  });

  it("a write token writes", async () => {
    expect((await call(url, "POST", `${searches}/records`, { json: { query: "q" }, token: SECRETS.writer })).status).toBe(201);
  });

  it("a token limited to ciap cannot read docs (403 FORBIDDEN) and sees only ciap in lists", async () => {
    expect((await call(url, "GET", searches, { token: SECRETS.ciap })).status).toBe(200);
    const docs = await call(url, "GET", "/api/v1/db/databases/docs/tables/content_metadata", { token: SECRETS.ciap });
    expect(docs.status).toBe(403);
    expect(docs.body.error).toMatchObject({ code: "FORBIDDEN", details: { database: "docs", token: "ciap-app" } });
    const listed = (await call(url, "GET", "/api/v1/db/databases", { token: SECRETS.ciap })).body.databases.map((entry: { name: string }) => entry.name);
    expect(listed).toEqual(["ciap"]);
  });

  it("migrations, reload and the operations log need admin", async () => {
    for (const [method, route, json] of [
      ["GET", "/api/v1/db/migrations/status", undefined],
      ["POST", "/api/v1/db/migrations/run", {}],
      ["POST", "/api/v1/db/databases/ciap/reload", {}],
      ["GET", "/api/v1/db/operations", undefined],
    ] as const) {
      const refused = await call(url, method, route, { token: SECRETS.writer, ...(json === undefined ? {} : { json }) });
      expect(refused.status, `${method} ${route}`).toBe(403);
      expect(refused.body.error.details.required_scope).toBe("admin");
      expect((await call(url, method, route, { token: SECRETS.admin, ...(json === undefined ? {} : { json }) })).status, `${method} ${route} as admin`).toBe(200);
    }
  });

  it("/status shows file paths only to admin", async () => {
    const reader = (await call(url, "GET", "/api/v1/db/status", { token: SECRETS.reader })).body;
    expect(reader.data_dir).toBeUndefined();
    expect(reader.databases.every((database: { file?: string }) => database.file === undefined)).toBe(true);
    expect(JSON.stringify(reader)).not.toContain(temp.dataDir);
    const admin = (await call(url, "GET", "/api/v1/db/status", { token: SECRETS.admin })).body;
    expect(admin.data_dir).toBe(temp.dataDir);
    expect(admin.databases.every((database: { file?: string }) => typeof database.file === "string")).toBe(true);
  });

  it("wrong tokens are 401 even on reads; the Host check is off (tokens protect the server)", async () => {
    expect((await call(url, "GET", searches, { token: "nope-0123456789abcdef" })).status).toBe(401);
    expect((await rawRequest(url, "GET", searches, { host: "db.example.com", authorization: `Bearer ${SECRETS.reader}` })).status).toBe(200);
  });
});

describe("API_PUBLIC_READ=true", () => {
  it("reopens reads deliberately, writes still need a token", async () => {
    const settings = loadHttpSettings({ API_TOKENS_FILE: tokensFile, API_PUBLIC_READ: "true" })._unsafeUnwrap();
    const open = buildServer(framework, { settings, logDestination: { write: () => undefined } });
    try {
      expect((await open.inject({ method: "GET", url: searches })).statusCode).toBe(200);
      expect((await open.inject({ method: "POST", url: `${searches}/records`, payload: { query: "q" } })).statusCode).toBe(401);
    } finally {
      await open.close();
    }
    expect(loadHttpSettings({ API_PUBLIC_READ: "maybe" })._unsafeUnwrapErr()).toMatchObject({ variable: "API_PUBLIC_READ" });
  });
});
