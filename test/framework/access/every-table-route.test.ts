import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, snapshotDatabase, startApi, type ApiUnderTest } from "../../support/http-harness";
import { createTempRoot, type TempRoot } from "../../support/temp-root";

/**
 * The access policy is enforced by one guard that every generic table route must call. This test
 * asks the OpenAPI document for every route under `/databases/{database}/tables/{table}` — the
 * ones that exist today and any added later — and sends each to a hidden and to a read-only table:
 * a route that forgot the guard fails here, whichever file it lives in.
 */
const MODELS = `
import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";
export const DATABASE_NAME = "vault";
@Entity({ name: "secrets" })
export class Secret {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: "varchar", length: 50 }) name: string;
}
@Entity({ name: "ledger" })
export class LedgerLine {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: "varchar", length: 50 }) name: string;
}
export const entities = [Secret, LedgerLine];
export const api = { tables: { secrets: "hidden", ledger: "read" } };
`;

const GENERIC = "/api/v1/db/databases/{database}/tables/{table}";

let temp: TempRoot;
let api: ApiUnderTest;
let routes: { method: string; path: string }[];
let document: { paths: Record<string, Record<string, unknown>> };

function fileOfVault(): string {
  return api.framework.databases.entry("vault")?.file ?? "";
}

/** A request the route's schema accepts, so only the guard can refuse it. */
function requestFor(method: string, template: string, table: string): { path: string; options: Parameters<typeof call>[3] } {
  let path = template.replace("{database}", "vault").replace("{table}", table).replace("{id}", "1");
  if (path.endsWith("/records") && (method === "PATCH" || method === "DELETE")) path += "?filter[id][eq]=1";
  if (path.endsWith("/aggregate")) path += "?count=true";
  if (path.endsWith("/import")) return { path, options: { raw: `{"name":"forged"}\n`, contentType: "application/x-ndjson" } };
  if (method === "POST" || method === "PATCH") return { path, options: { json: { name: "forged" } } };
  return { path, options: {} };
}

beforeAll(async () => {
  temp = createTempRoot("every-table-route");
  temp.writeModuleFile("vault", "db-models.ts", MODELS);
  api = await startApi(temp);
  // One row in each table, written below the API, so reads and writes have something to find.
  const vault = api.framework.databases.get("vault")._unsafeUnwrap();
  await vault.dataSource.query(`INSERT INTO secrets (name) VALUES ('s1')`);
  await vault.dataSource.query(`INSERT INTO ledger (name) VALUES ('l1')`);
  document = (await call(api.url, "GET", "/api/v1/openapi.json")).body as { paths: Record<string, Record<string, unknown>> };
  routes = Object.entries(document.paths)
    .filter(([path]) => path.startsWith(GENERIC))
    .flatMap(([path, operations]) => Object.keys(operations).map((method) => ({ method: method.toUpperCase(), path })));
});
afterAll(async () => {
  await api?.stop();
  temp?.remove();
});

describe("every generic table route obeys the access policy", () => {
  it("finds the generic table routes in the OpenAPI document", () => {
    // records, record, list, aggregate, export, import, restore at the time of writing
    expect(routes.length).toBeGreaterThanOrEqual(8);
  });

  it("the per-table OpenAPI paths leave out the hidden table and the read-only table's writes", () => {
    const concrete = Object.keys(document.paths).filter((path) => path.startsWith("/api/v1/db/databases/vault/"));
    expect(concrete.some((path) => path.includes("/secrets"))).toBe(false);
    expect(Object.keys(document.paths["/api/v1/db/databases/vault/tables/ledger/records/{id}"] ?? {})).toEqual(["get"]);
    expect(document.paths["/api/v1/db/databases/vault/tables/ledger/records"]).toBeUndefined();
    expect(document.paths["/api/v1/db/databases/vault/tables/ledger"]).toBeDefined();
  });

  it("/status names the read-only table and not the hidden one", async () => {
    const status = (await call(api.url, "GET", "/api/v1/db/status")).body as { databases: { name: string; tables: string[] }[] };
    expect(status.databases.find((database) => database.name === "vault")?.tables).toEqual(["ledger"]);
    expect(status.databases.find((database) => database.name === "framework")?.tables).toEqual([]);
  });

  it("a hidden table is 404 TABLE_NOT_FOUND on every route, and nothing changes", async () => {
    const before = snapshotDatabase(fileOfVault());
    for (const route of routes) {
      const { path, options } = requestFor(route.method, route.path, "secrets");
      const response = await call(api.url, route.method, path, options);
      expect({ route: `${route.method} ${route.path}`, status: response.status, code: response.body?.error?.code }).toEqual({ route: `${route.method} ${route.path}`, status: 404, code: "TABLE_NOT_FOUND" });
    }
    expect(snapshotDatabase(fileOfVault())).toBe(before);
  });

  it("a read-only table refuses every writing route with 403 TABLE_READ_ONLY and serves the reading ones", async () => {
    const before = snapshotDatabase(fileOfVault());
    for (const route of routes) {
      const { path, options } = requestFor(route.method, route.path, "ledger");
      const response = await call(api.url, route.method, path, options);
      const label = `${route.method} ${route.path}`;
      if (route.method === "GET") expect(response.status, `${label}: ${response.text.slice(0, 200)}`).toBe(200);
      else expect({ label, status: response.status, code: response.body?.error?.code }).toEqual({ label, status: 403, code: "TABLE_READ_ONLY" });
    }
    expect(snapshotDatabase(fileOfVault())).toBe(before);
  });
});
