import { afterAll, beforeAll, expect, it } from "vitest";
import { call } from "../../../support/http-harness";
import { createPostgresDatabase, postgresSearches, type PostgresDatabase } from "../../../support/postgres-database";
import { postgresAvailability, sharedPostgresUrl } from "../../../support/postgres-target";
import { describeWithService } from "../../../support/required-service";
import { startServerProcess, type ServerProcess } from "../../../support/server-process";
import { createTempRoot, type TempRoot } from "../../../support/temp-root";
import { lostWrites, WriteLoad } from "../../../support/write-load";
import { TEST_TOKEN } from "../../http/fixtures";

const SERVERS = 4;
const WRITERS = 200;
const LOAD_MS = Number(process.env.MODULEDB_MULTI_SERVER_LOAD_MS ?? 30_000);

/**
 * Issue 11's "several servers on one PostgreSQL": four `npm start` processes on their own ports,
 * one DATABASE_URL for every database (the framework's included, so the embedded cache is shared
 * too), booted at the same moment on an empty database, then 200 HTTP writers spread over them.
 */
describeWithService("postgres", postgresAvailability(), "several servers on one PostgreSQL database", () => {
  let database: PostgresDatabase;
  let temp: TempRoot;
  const servers: ServerProcess[] = [];

  beforeAll(async () => {
    database = await createPostgresDatabase(sharedPostgresUrl() as string, "moduledb_servers");
    temp = createTempRoot("several-servers");
  });

  afterAll(async () => {
    for (const server of servers.splice(0)) await server.stop("SIGKILL");
    await database?.drop();
    temp?.remove();
  });

  it(`${SERVERS} servers boot at once (schema applied once), ${WRITERS} writers for ${LOAD_MS / 1000} s: no error, every acknowledged id stored`, { timeout: LOAD_MS + 180_000 }, async () => {
    const env = { DATABASE_URL: database.url, DATABASE_DIR: temp.dataDir, API_TOKEN: TEST_TOKEN, API_PUBLIC_READ: "true", REDIS_URL: "" };
    servers.push(...(await Promise.all(Array.from({ length: SERVERS }, () => startServerProcess(env, 120_000)))));
    expect(new Set(servers.map((server) => server.url)).size).toBe(SERVERS);

    // Every table was created by exactly one of the four boots: the others found it there.
    // `details` is JSON (jsonb on PostgreSQL, read back as an object).
    const boots = await database.query<{ details: { automatic_changes: { database: string; description: string }[] } }>(`SELECT details FROM framework.framework_operations WHERE kind = 'boot'`);
    expect(boots).toHaveLength(SERVERS);
    const created = boots.flatMap((boot) => boot.details.automatic_changes.map((change) => `${change.database}: ${change.description}`));
    expect(created.filter((change) => change === "ciap: Created table 'searches'.")).toHaveLength(1);
    expect(new Set(created).size).toBe(created.length);
    for (const server of servers) expect((await call(server.url, "GET", "/health")).status).toBe(200);

    const loads = servers.map((server, index) => new WriteLoad(server.url, TEST_TOKEN, WRITERS / SERVERS, `server${index}`, 40));
    await new Promise((resolve) => setTimeout(resolve, LOAD_MS));
    await Promise.all(loads.map((load) => load.stop()));

    const outcomes: Record<string, number> = {};
    for (const load of loads) for (const [key, count] of load.outcomes) outcomes[key] = (outcomes[key] ?? 0) + count;
    const acknowledged = new Map(loads.flatMap((load) => [...load.acknowledged]));
    const stored = await postgresSearches(database);
    const lost = lostWrites(acknowledged, stored);
    const perServer = loads.map((load) => load.acknowledged.size);
    console.log(`[several servers] ${SERVERS} servers, ${WRITERS} writers, ${LOAD_MS} ms: acknowledged ${acknowledged.size} (${perServer.join(" + ")}), ${((acknowledged.size * 1000) / LOAD_MS).toFixed(0)} writes/s, stored ${stored.size}, lost ${lost.length}, outcomes ${JSON.stringify(outcomes)}`);
    expect(outcomes).toEqual({ "201": acknowledged.size });
    expect(acknowledged.size).toBeGreaterThan(0);
    expect(perServer.every((count) => count > 0)).toBe(true);
    expect(lost).toEqual([]);

    // One server's write is visible to every other at once: no process keeps state of its own.
    const last = [...acknowledged.keys()].sort((a, b) => b - a)[0] as number;
    for (const server of servers) {
      const record = await call(server.url, "GET", `/api/v1/db/databases/ciap/tables/searches/records/${last}`);
      expect(record.body.record?.query ?? record.body).toBe(acknowledged.get(last));
    }
    for (const server of servers.splice(0)) expect(await server.stop("SIGTERM")).toBe(0);
  });
});
