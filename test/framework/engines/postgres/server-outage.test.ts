import { afterAll, beforeAll, expect, it } from "vitest";
import { call } from "../../../support/http-harness";
import { createPostgresDatabase, postgresSearches, type PostgresDatabase } from "../../../support/postgres-database";
import { postgresServerAvailability, startPostgresServer, type PostgresServerHandle } from "../../../support/postgres-server";
import { describeWithService } from "../../../support/required-service";
import { startServerProcess, type ServerProcess } from "../../../support/server-process";
import { createTempRoot, type TempRoot } from "../../../support/temp-root";
import { lostWrites, WriteLoad } from "../../../support/write-load";
import { TEST_TOKEN } from "../../http/fixtures";

const STATEMENT_TIMEOUT_MS = 2_000;
const CONNECT_TIMEOUT_MS = 1_000;
/** Not a speed figure: a request that takes longer than this during the outage is hanging. */
const HANG_MS = 2 * (STATEMENT_TIMEOUT_MS + CONNECT_TIMEOUT_MS) + 5_000;

/**
 * Issue 11: the PostgreSQL server dies under load (`pg_ctl stop -m immediate`, no checkpoint, like a
 * crash) and comes back. A private cluster, so no other test loses its server.
 */
describeWithService("postgres", postgresServerAvailability(), "PostgreSQL server killed under HTTP write load", () => {
  let postgres: PostgresServerHandle;
  let database: PostgresDatabase;
  let temp: TempRoot;
  let server: ServerProcess | undefined;

  beforeAll(async () => {
    postgres = await startPostgresServer();
    database = await createPostgresDatabase(postgres.url, "moduledb_outage");
    temp = createTempRoot("pg-outage");
  });

  afterAll(async () => {
    await server?.stop("SIGKILL");
    postgres?.remove();
    temp?.remove();
  });

  it("answers 503 DATABASE_UNAVAILABLE without hanging, /health says so, resumes by itself, loses no acknowledged write", { timeout: 240_000 }, async () => {
    server = await startServerProcess(
      { DATABASE_URL: database.url, DATABASE_DIR: temp.dataDir, API_TOKEN: TEST_TOKEN, API_PUBLIC_READ: "true", REDIS_URL: "", PG_STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS), PG_CONNECT_TIMEOUT_MS: String(CONNECT_TIMEOUT_MS) },
      120_000,
    );
    const url = server.url;
    const load = new WriteLoad(url, TEST_TOKEN, 20, "outage", 40);
    await load.until(() => load.acknowledged.size >= 200, 90_000, "200 acknowledged writes before the kill");

    const killedAt = performance.now();
    postgres.kill();
    await load.until(() => load.count("503 DATABASE_UNAVAILABLE") >= 20, 60_000, "503 DATABASE_UNAVAILABLE answers");
    const firstRefusalMs = performance.now() - killedAt;

    // One request on its own while the server is down: a clear refusal, not a hang.
    const started = performance.now();
    const refused = await call(url, "POST", "/api/v1/db/databases/ciap/tables/searches/records", { json: { query: "while down" }, token: TEST_TOKEN });
    const refusalMs = performance.now() - started;
    expect(refused.status).toBe(503);
    expect(refused.body.error.code).toBe("DATABASE_UNAVAILABLE");
    expect(JSON.stringify(refused.body)).not.toMatch(/password|postgres:\/\/[^@]*:[^@]*@/);
    expect(refusalMs).toBeLessThan(HANG_MS);
    const health = await call(url, "GET", "/health");
    expect(health.status).toBe(200);
    expect(health.body.status).toBe("degraded");
    expect(health.body.databases.map((entry: { database: string; code: string }) => [entry.database, entry.code])).toContainEqual(["ciap", "DATABASE_UNAVAILABLE"]);

    const ackedBeforeRestart = load.acknowledged.size;
    postgres.start();
    const restartedAt = performance.now();
    await load.until(() => load.acknowledged.size >= ackedBeforeRestart + 100, 90_000, "100 acknowledged writes after the restart");
    const resumedMs = performance.now() - restartedAt;
    await load.stop();
    const healed = await call(url, "GET", "/health");

    const outcomes = Object.fromEntries(load.outcomes);
    const stored = await postgresSearches(database);
    const lost = lostWrites(load.acknowledged, stored);
    console.log(
      `[pg outage] first 503 ${firstRefusalMs.toFixed(0)} ms after the kill, a lone request refused in ${refusalMs.toFixed(0)} ms, writes resumed ${resumedMs.toFixed(0)} ms after the restart; acknowledged ${load.acknowledged.size}, stored ${stored.size}, lost ${lost.length}, outcomes ${JSON.stringify(outcomes)}`,
    );
    expect(lost).toEqual([]);
    // Every answer was a success or the clear refusal: never a 500, never a dropped connection.
    expect(Object.keys(outcomes).filter((key) => key !== "201" && key !== "503 DATABASE_UNAVAILABLE")).toEqual([]);
    expect(healed.body).toEqual({ status: "ok" });
    expect(await server.stop("SIGTERM")).toBe(0);
    server = undefined;
  });
});
