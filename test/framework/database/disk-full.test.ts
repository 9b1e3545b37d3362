import { statfsSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, startApi, type ApiUnderTest } from "../../support/http-harness";
import { mountTmpfs, tmpfsAvailability, type TmpfsMount } from "../../support/fault-mounts";
import { simpleModels } from "../../support/module-sources";
import { describeWithService } from "../../support/required-service";
import { startServerProcess, type ServerProcess } from "../../support/server-process";
import { createTempRoot, type TempRoot } from "../../support/temp-root";
import { inspectSearches, lostWrites, SEARCHES, WriteLoad } from "../../support/write-load";
import { TEST_TOKEN } from "../http/fixtures";
import { sqliteConnection } from "../../../framework/engines/sqlite/sqlite-connection";

describe("a full database over HTTP (PRAGMA max_page_count)", () => {
  let temp: TempRoot;
  let api: ApiUnderTest;
  const orders = "/api/v1/db/databases/shop/tables/orders";

  beforeAll(async () => {
    temp = createTempRoot("disk-full-http");
    temp.writeModuleFile("shop", "db-models.ts", simpleModels("shop", ["orders"]));
    temp.writeModuleFile("notes", "db-models.ts", simpleModels("notes", ["notes"]));
    api = await startApi(temp);
  });

  afterAll(async () => {
    await api.stop();
    temp.remove();
  });

  it("507 DISK_FULL for writes, 200 for reads, /health degraded; writes succeed again once the cap is lifted", async () => {
    const shop = api.framework.databases.get("shop")._unsafeUnwrap();
    const created = await call(api.url, "POST", `${orders}/records`, { json: { title: "before" } });
    expect(created.status).toBe(201);
    const pages = sqliteConnection(shop).pragma("page_count", { simple: true }) as number;
    sqliteConnection(shop).pragma(`max_page_count = ${pages + 2}`);

    const statuses: number[] = [];
    for (let attempt = 0; attempt < 10; attempt += 1) {
      const response = await call(api.url, "POST", `${orders}/records`, { json: { title: `full ${attempt}`, note: "x".repeat(20_000) } });
      statuses.push(response.status);
      if (response.status === 507) {
        expect(response.body.error).toMatchObject({ code: "DISK_FULL", details: { database: "shop" } });
        expect(response.body.error.message).toContain("'shop'");
      }
    }
    expect(statuses.filter((status) => status === 507).length).toBeGreaterThanOrEqual(9);
    expect(statuses.every((status) => status === 201 || status === 507)).toBe(true);

    const read = await call(api.url, "GET", `${orders}?page_size=50`);
    expect(read.status).toBe(200);
    expect((await call(api.url, "GET", `${orders}/records/${created.body.record.id}`)).status).toBe(200);
    const health = await call(api.url, "GET", "/health");
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: "degraded", databases: [{ database: "shop", code: "DISK_FULL" }] });
    expect(health.body.databases[0].reason).toContain("'shop'");
    const status = await call(api.url, "GET", "/api/v1/db/status");
    expect(status.body.databases.find((database: { name: string }) => database.name === "shop").fault).toMatchObject({ code: "DISK_FULL" });
    // The other database never noticed.
    expect((await call(api.url, "POST", "/api/v1/db/databases/notes/tables/notes/records", { json: { title: "elsewhere" } })).status).toBe(201);

    sqliteConnection(shop).pragma("max_page_count = 1073741823");
    expect((await call(api.url, "POST", `${orders}/records`, { json: { title: "after", note: "x".repeat(20_000) } })).status).toBe(201);
    expect((await call(api.url, "GET", "/health")).body).toEqual({ status: "ok" });
  });
});

/** Bytes in use on the filesystem holding `dir`. */
function usedBytes(dir: string): number {
  const stats = statfsSync(dir);
  return (stats.blocks - stats.bfree) * stats.bsize;
}

describeWithService("tmpfs", tmpfsAvailability(), "disk full under HTTP write load (a real tmpfs filling up)", () => {
  let mount: TmpfsMount;
  let server: ServerProcess | undefined;

  beforeAll(() => {
    mount = mountTmpfs("disk-full", 64 * 1_048_576);
  });

  afterAll(async () => {
    await server?.stop("SIGKILL");
    mount.remove();
  });

  it("loses no acknowledged write, answers 507 DISK_FULL, keeps reads at 200, recovers when the filesystem grows, shuts down cleanly", async () => {
    const dataDir = path.join(mount.dir, "data");
    server = await startServerProcess({ DATABASE_DIR: dataDir, API_TOKEN: TEST_TOKEN, API_PUBLIC_READ: "true" });
    const { url } = server;
    // Leave about 1.5 MiB: a few thousand writes fill it.
    const booted = usedBytes(mount.dir);
    mount.resize(Math.ceil((booted + 1_572_864) / 4096) * 4096);

    const load = new WriteLoad(url, TEST_TOKEN, 8, "tmpfs");
    await load.until(() => load.count("507 DISK_FULL") >= 200, 120_000, "200 DISK_FULL answers");
    const acknowledgedWhenFull = load.acknowledged.size;

    // While full: reads answer 200 (a page, a record by id) and /health names the fault.
    const readStatuses = new Map<number, number>();
    const someId = [...load.acknowledged.keys()][0];
    for (let round = 0; round < 20; round += 1) {
      for (const pathname of [`/api/v1/db/databases/ciap/tables/searches?page_size=20&sort=-id`, `${SEARCHES}/${someId}`]) {
        const response = await call(url, "GET", pathname);
        readStatuses.set(response.status, (readStatuses.get(response.status) ?? 0) + 1);
      }
    }
    const health = await call(url, "GET", "/health");
    expect(health.body.status).toBe("degraded");
    expect(health.body.databases).toEqual(expect.arrayContaining([expect.objectContaining({ database: "ciap", code: "DISK_FULL" })]));

    // Space frees: grow the live filesystem and time the first acknowledged write after it.
    const grownAt = performance.now();
    mount.resize(64 * 1_048_576);
    await load.until(() => load.acknowledgedAt.some((at) => at > grownAt), 30_000, "a write after the filesystem grew");
    const recoveryMs = (load.acknowledgedAt.find((at) => at > grownAt) as number) - grownAt;
    const acknowledgedAfterGrowth = load.acknowledged.size;
    await load.until(() => load.acknowledged.size >= acknowledgedAfterGrowth + 200, 60_000, "200 more writes after recovery");
    await load.stop();
    expect((await call(url, "GET", "/health")).body.status).toBe("ok");

    const exitCode = await server.stop("SIGTERM");
    server = undefined;
    const stored = inspectSearches(path.join(dataDir, "ciap.db"));
    const lost = lostWrites(load.acknowledged, stored.queries);
    const unexpected = [...load.outcomes.keys()].filter((key) => key !== "201" && key !== "507 DISK_FULL");

    console.log(
      `[faults] disk full (tmpfs): acknowledged ${load.acknowledged.size} (${acknowledgedWhenFull} before the disk filled up completely), lost ${lost.length}, ` +
        `507 DISK_FULL ${load.count("507 DISK_FULL")}, other answers ${JSON.stringify(unexpected.map((key) => [key, load.count(key)]))}, ` +
        `reads while full ${JSON.stringify(Object.fromEntries(readStatuses))}, recovery ${recoveryMs.toFixed(0)} ms after growing, exit ${exitCode}, integrity_check ${stored.integrity.join("; ")}`,
    );
    expect(lost).toEqual([]);
    expect(unexpected).toEqual([]);
    expect([...readStatuses.keys()]).toEqual([200]);
    expect(exitCode).toBe(0);
    expect(stored.integrity).toEqual(["ok"]);
    // Nothing but acknowledged writes got in (the failed ones were really rolled back).
    expect(stored.queries.size).toBe(load.acknowledged.size);
  });
});
