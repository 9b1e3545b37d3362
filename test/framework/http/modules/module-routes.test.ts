import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sha256Hex } from "../../../../framework/access/api-tokens";
import { call, startApi, type ApiUnderTest } from "../../../support/http-harness";
import { writeRouteModules } from "../../../support/lending-module";
import { createTempRoot } from "../../../support/temp-root";

const SECRETS = { reader: "reader-secret-0123456789", writer: "writer-secret-0123456789", admin: "admin-secret-0123456789", elsewhere: "elsewhere-secret-0123456789" };
const TOKENS = [
  { name: "reader", sha256: sha256Hex(SECRETS.reader), scopes: ["read"] as const },
  { name: "writer", sha256: sha256Hex(SECRETS.writer), scopes: ["read", "write"] as const },
  { name: "ops", sha256: sha256Hex(SECRETS.admin), scopes: ["admin"] as const },
  { name: "elsewhere", sha256: sha256Hex(SECRETS.elsewhere), scopes: ["read", "write"] as const, databases: ["noscope"] },
];

describe("module routes of a module outside the repository", () => {
  const temp = createTempRoot("module-routes");
  writeRouteModules(temp);
  let open: ApiUnderTest;
  let guarded: ApiUnderTest;
  beforeAll(async () => {
    open = await startApi(temp);
  });
  afterAll(async () => {
    await guarded?.stop();
    await open?.stop();
    temp.remove();
  });

  it("serves the module's operations under /api/v1/modules/<module>/ with their success statuses and request ids", async () => {
    const created = await call(open.url, "POST", "/api/v1/modules/lending/books", { json: { title: "Dune" } });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ id: 1, title: "Dune", available: true });
    expect(created.headers.get("x-request-id")).toMatch(/.+/);
    const lent = await call(open.url, "POST", "/api/v1/modules/lending/books/1/lend");
    expect(lent.status).toBe(200);
    expect(lent.body).toEqual({ id: 1, title: "Dune", available: false });
    // The response schema is what is serialised: `loans` is not in it and does not leave the server.
    expect(lent.body.loans).toBeUndefined();
    const nothing = await call(open.url, "DELETE", "/api/v1/modules/lending/shelf");
    expect(nothing.status).toBe(204);
    expect(nothing.text).toBe("");
  });

  it("answers a service's errors in the standard shape: module codes with their status, framework codes as everywhere", async () => {
    const out = await call(open.url, "POST", "/api/v1/modules/lending/books/1/lend");
    expect(out.status).toBe(409);
    expect(out.body).toEqual({ error: { code: "BOOK_UNAVAILABLE", message: "Book 1 is out.", module: "lending", details: { book_id: 1 } } });
    const missing = await call(open.url, "GET", "/api/v1/modules/lending/books/99");
    expect(missing.status).toBe(404);
    expect(missing.body.error).toMatchObject({ code: "RECORD_NOT_FOUND", module: "core.database", details: { id: 99, database: "lending" } });
    await call(open.url, "POST", "/api/v1/modules/lending/books", { json: { title: "Emma" } });
    // An undeclared module code (NOT_LENT) answers 422, naming the module.
    const notLent = await call(open.url, "POST", "/api/v1/modules/lending/books/2/return");
    expect(notLent.status).toBe(422);
    expect(notLent.body.error).toMatchObject({ code: "NOT_LENT", module: "lending" });
    const invalid = await call(open.url, "POST", "/api/v1/modules/lending/books", { json: { title: "" } });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.code).toBe("VALIDATION_FAILED");
    const unknownQuery = await call(open.url, "GET", "/api/v1/modules/lending/books/1?debug=1");
    expect(unknownQuery.status).toBe(400);
  });

  it("answers a route that throws with 500 INTERNAL_ERROR, the request id and nothing of what was thrown", async () => {
    const out = await call(open.url, "GET", "/api/v1/modules/lending/boom");
    expect(out.status).toBe(500);
    expect(out.body).toEqual({ error: { code: "INTERNAL_ERROR", message: "The server could not complete the request; the failure has been logged.", module: "lending", details: { request_id: out.headers.get("x-request-id") } } });
    expect(out.text).not.toMatch(/secret|lending\.db|SELECT|at /);
    // The server keeps serving.
    expect((await call(open.url, "GET", "/api/v1/modules/lending/books/1")).status).toBe(200);
  });

  it("refuses every route of a module whose routes break a rule, marks only that module unhealthy, and says why", async () => {
    const modules = new Map(open.framework.modules.map((module) => [module.name, module]));
    expect(modules.get("lending")?.healthy).toBe(true);
    expect(modules.get("noscope")?.healthy).toBe(false);
    expect(modules.get("noscope")?.problems.join(" ")).toContain("POST /unguarded declares no scope: every module route needs scope 'read', 'write' or 'admin'.");
    expect(modules.get("badschema")?.healthy).toBe(false);
    expect(modules.get("badschema")?.problems.join(" ")).toMatch(/routes refused: .*POST.*\/api\/v1\/modules\/badschema\/things/);
    expect(modules.get("throwing")?.problems.join(" ")).toContain("declaring its routes threw: cannot declare routes today");
    expect(modules.get("plainroutes")?.problems.join(" ")).toContain("[INVALID_ROUTES] `routes` must be made by defineModuleRoutes");
    // Not half-registered: the fine route of `noscope` is not served either.
    expect((await call(open.url, "GET", "/api/v1/modules/noscope/fine")).body.error.code).toBe("ROUTE_NOT_FOUND");
    expect((await call(open.url, "POST", "/api/v1/modules/badschema/things", { json: {} })).status).toBe(404);
    const ready = await call(open.url, "GET", "/ready");
    expect(ready.status).toBe(503);
    // The module's database and generic routes still work.
    expect((await call(open.url, "GET", "/api/v1/db/databases/noscope/tables")).status).toBe(200);
  });

  it("lists the module routes in the OpenAPI document with their scope, schemas and error responses", async () => {
    const document = (await call(open.url, "GET", "/api/v1/openapi.json")).body as { paths: Record<string, Record<string, Record<string, unknown>>> };
    const lend = document.paths["/api/v1/modules/lending/books/{id}/lend"]?.post;
    expect(lend).toMatchObject({ summary: "Lend a book", tags: ["module:lending"], "x-required-scope": "write", parameters: [{ name: "id", in: "path", required: true }] });
    expect(Object.keys(lend?.responses as object)).toEqual(expect.arrayContaining(["200", "4XX", "5XX"]));
    expect(document.paths["/api/v1/modules/lending/books"]?.post).toMatchObject({ "x-required-scope": "write", requestBody: { required: true } });
    expect(document.paths["/api/v1/modules/lending/report"]?.get?.["x-required-scope"]).toBe("admin");
    expect(Object.keys(document.paths).filter((path) => path.startsWith("/api/v1/modules/noscope") || path.startsWith("/api/v1/modules/badschema"))).toEqual([]);
  });

  it("echoes a caller's X-Request-Id in a failure, and answers 503 MODULE_UNAVAILABLE while the module is unhealthy", async () => {
    const traced = await call(open.url, "GET", "/api/v1/modules/lending/boom", { headers: { "x-request-id": "trace-42" } });
    expect(traced.headers.get("x-request-id")).toBe("trace-42");
    expect(traced.body.error.details).toEqual({ request_id: "trace-42" });
    open.framework.reportModuleProblem("lending", "lending: a problem found after boot");
    const unavailable = await call(open.url, "GET", "/api/v1/modules/lending/books/1");
    expect(unavailable.status).toBe(503);
    expect(unavailable.body.error).toMatchObject({ code: "MODULE_UNAVAILABLE", module: "core.http", details: { module: "lending" } });
  });

  it("holds module routes to the API's token scopes and database limits", async () => {
    await open.stop();
    guarded = await startApi(temp, { settings: { tokens: TOKENS } });
    const as = (secret: string | undefined, method: string, path: string, json?: unknown) => call(guarded.url, method, path, { ...(secret === undefined ? {} : { token: secret }), ...(json === undefined ? {} : { json }) });
    expect((await as(undefined, "GET", "/api/v1/modules/lending/books/1")).status).toBe(401);
    expect((await as(SECRETS.reader, "GET", "/api/v1/modules/lending/books/1")).status).toBe(200);
    const refused = await as(SECRETS.reader, "POST", "/api/v1/modules/lending/books", { title: "Ulysses" });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatchObject({ code: "FORBIDDEN", details: { required_scope: "write", token: "reader" } });
    expect((await as(SECRETS.writer, "POST", "/api/v1/modules/lending/books", { title: "Ulysses" })).status).toBe(201);
    expect((await as(SECRETS.writer, "GET", "/api/v1/modules/lending/report")).status).toBe(403);
    expect((await as(SECRETS.admin, "GET", "/api/v1/modules/lending/report")).body).toEqual({ books: 1 });
    const outside = await as(SECRETS.elsewhere, "GET", "/api/v1/modules/lending/books/1");
    expect(outside.status).toBe(403);
    expect(outside.body.error).toMatchObject({ code: "FORBIDDEN", details: { database: "lending", token: "elsewhere" } });
    // Nothing the refused writer asked for was written: three books, not four.
    expect((await as(SECRETS.reader, "GET", "/api/v1/modules/lending/books/4")).status).toBe(404);
  });
});
