import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bootFramework } from "../../../framework";
import { call, snapshotDatabase, startApi, type ApiUnderTest } from "../../support/http-harness";
import { SHOP_V1, SHOP_V2 } from "../../support/shop-module";
import { createTempRoot, type TempRoot } from "../../support/temp-root";
import { TEST_TOKEN } from "./fixtures";

describe("migration routes", () => {
  // v1 creates the database with data; v2's changed entities are then served over the same data folder.
  let v1: TempRoot;
  let v2: TempRoot;
  let api: ApiUnderTest;
  let shopFile: string;
  let generatedName: string;

  beforeAll(async () => {
    v1 = createTempRoot("http-mig-v1");
    v2 = createTempRoot("http-mig-v2");
    v1.writeModuleFile("shop", "db-models.ts", SHOP_V1);
    v2.writeModuleFile("shop", "db-models.ts", SHOP_V2);
    const first = await bootFramework({ rootDir: v1.root, dataDir: v1.dataDir });
    await first.databases.get("shop")._unsafeUnwrap().transaction((manager) => manager.query("INSERT INTO customers (name, email) VALUES ('Ada', 'ada@example.com')"));
    shopFile = first.databases.entry("shop")?.file ?? "";
    await first.shutdown();
    api = await startApi({ ...v2, dataDir: v1.dataDir }, { settings: { apiToken: TEST_TOKEN, publicRead: true } });
  });
  afterAll(async () => {
    await api?.stop();
    v1.remove();
    v2.remove();
  });

  it("GET status reports the refused database's drift and no migrations yet", async () => {
    const response = await call(api.url, "GET", "/api/v1/db/migrations/status", { token: TEST_TOKEN });
    expect(response.status).toBe(200);
    const shop = response.body.databases.find((database: { database: string }) => database.database === "shop");
    expect(shop).toMatchObject({ state: "refused", applied: [], pending: [], missing: [] });
    expect(shop.drift.length).toBeGreaterThan(0);
    const one = await call(api.url, "GET", "/api/v1/db/migrations/status?database=shop", { token: TEST_TOKEN });
    expect(one.body.databases).toHaveLength(1);
    const unknown = await call(api.url, "GET", "/api/v1/db/migrations/status?database=nope", { token: TEST_TOKEN });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toMatchObject({ code: "DATABASE_NOT_FOUND", module: "core.migrations", details: { available_databases: ["framework", "shop"] } });
  });

  it("POST generate needs the token and a valid body; nothing is written on refusal", async () => {
    const before = snapshotDatabase(shopFile);
    expect((await call(api.url, "POST", "/api/v1/db/migrations/generate", { json: { database: "shop", message: "upgrade" } })).status).toBe(401);
    const missing = await call(api.url, "POST", "/api/v1/db/migrations/generate", { json: { database: "shop" }, token: TEST_TOKEN });
    expect(missing.status).toBe(400);
    expect(missing.body.error.code).toBe("VALIDATION_FAILED");
    const badMessage = await call(api.url, "POST", "/api/v1/db/migrations/generate", { json: { database: "shop", message: "!!!" }, token: TEST_TOKEN });
    expect(badMessage.status).toBe(400);
    expect(badMessage.body.error.code).toBe("INVALID_MESSAGE");
    expect(snapshotDatabase(shopFile)).toBe(before);
    expect(existsSync(`${v2.root}/modules/shop/migrations`)).toBe(false);
  });

  it("POST generate writes a migration file (201) that status then lists as pending", async () => {
    const response = await call(api.url, "POST", "/api/v1/db/migrations/generate", { json: { database: "shop", message: "upgrade shop" }, token: TEST_TOKEN });
    expect(response.status, response.text).toBe(201);
    expect(response.body).toMatchObject({ success: true, database: "shop", written: true, needs_build: false });
    expect(existsSync(response.body.file as string)).toBe(true);
    expect(response.body.up.length).toBeGreaterThan(0);
    generatedName = response.body.name as string;
    const status = await call(api.url, "GET", "/api/v1/db/migrations/status?database=shop", { token: TEST_TOKEN });
    expect(status.body.databases[0].pending.map((migration: { name: string }) => migration.name)).toEqual([generatedName]);
    const overview = await call(api.url, "GET", "/api/v1/db/status");
    expect(overview.body.databases.find((database: { name: string }) => database.name === "shop").pending_migrations).toBe(1);
  });

  it("POST run refuses a pending migration as target and a target without database", async () => {
    const pendingTarget = await call(api.url, "POST", "/api/v1/db/migrations/run", { json: { database: "shop", target: generatedName }, token: TEST_TOKEN });
    expect(pendingTarget.status).toBe(400);
    const noDatabase = await call(api.url, "POST", "/api/v1/db/migrations/run", { json: { target: "base" }, token: TEST_TOKEN });
    expect(noDatabase.status).toBe(400);
  });

  it("POST run (target head) applies it, keeps the data and serves the refused database without a restart; POST run target base reverts it and refuses it again", async () => {
    const refused = await call(api.url, "GET", "/api/v1/db/databases/shop/tables/customers");
    expect(refused.status).toBe(503);
    expect((await call(api.url, "GET", "/ready")).status).toBe(503);
    const run = await call(api.url, "POST", "/api/v1/db/migrations/run", { token: TEST_TOKEN });
    expect(run.status, run.text).toBe(200);
    expect(run.body.target).toBe("head");
    expect(run.body.databases.find((database: { database: string }) => database.database === "shop").applied.map((migration: { name: string }) => migration.name)).toEqual([generatedName]);
    const status = await call(api.url, "GET", "/api/v1/db/migrations/status?database=shop", { token: TEST_TOKEN });
    expect(status.body.databases[0]).toMatchObject({ pending: [], drift: [] });
    expect(status.body.databases[0].applied.map((migration: { name: string }) => migration.name)).toEqual([generatedName]);
    expect(snapshotDatabase(shopFile)).toContain("ada@example.com");
    expect(status.body.databases[0].state).toBe("ready");
    const served = await call(api.url, "GET", "/api/v1/db/databases/shop/tables/customers");
    expect(served.status, served.text).toBe(200);
    expect(served.body.records).toEqual([expect.objectContaining({ name: "Ada", email_address: "ada@example.com", loyalty_points: 0 })]);
    const created = await call(api.url, "POST", "/api/v1/db/databases/shop/tables/customers/records", { json: { name: "Grace", loyalty_points: 3 }, token: TEST_TOKEN });
    expect(created.status, created.text).toBe(201);
    expect(api.framework.modules.find((module) => module.name === "shop")).toMatchObject({ healthy: true, problems: [] });
    expect((await call(api.url, "GET", "/ready")).status).toBe(200);

    const revert = await call(api.url, "POST", "/api/v1/db/migrations/run", { json: { database: "shop", target: "base" }, token: TEST_TOKEN });
    expect(revert.status, revert.text).toBe(200);
    expect(revert.body.databases[0].reverted.map((migration: { name: string }) => migration.name)).toEqual([generatedName]);
    const afterRevert = await call(api.url, "GET", "/api/v1/db/databases/shop/tables/customers");
    expect(afterRevert.status).toBe(503);
    expect(afterRevert.body.error.message).toContain(`pending migration(s) (${generatedName})`);
    const nothing = await call(api.url, "POST", "/api/v1/db/migrations/run", { json: { database: "shop", target: "base" }, token: TEST_TOKEN });
    expect(nothing.status).toBe(409);
    expect(nothing.body.error.code).toBe("NOTHING_TO_REVERT");
  });
});
