import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { call } from "../../support/http-harness";
import { startServerProcess, type ServerProcess } from "../../support/server-process";
import { createTempRoot, type TempRoot } from "../../support/temp-root";
import { inspectSearches, lostWrites, WriteLoad } from "../../support/write-load";
import { TEST_TOKEN } from "../http/fixtures";

describe("kill -9 of a server under HTTP write load", () => {
  let temp: TempRoot | undefined;
  const servers: ServerProcess[] = [];

  afterEach(async () => {
    for (const server of servers.splice(0)) await server.stop("SIGKILL");
    temp?.remove();
    temp = undefined;
  });

  it("every acknowledged id is in the file, integrity_check is ok, and the next server boots on it", async () => {
    temp = createTempRoot("crash-kill");
    const env = { DATABASE_DIR: temp.dataDir, API_TOKEN: TEST_TOKEN, API_PUBLIC_READ: "true" };
    const server = await startServerProcess(env);
    servers.push(server);
    const load = new WriteLoad(server.url, TEST_TOKEN, 8, "crash");
    await load.until(() => load.acknowledged.size >= 400, 60_000, "400 acknowledged writes");
    // SIGKILL: no handler runs, nothing is flushed or checkpointed; the writers are mid-request.
    const exitCode = await server.stop("SIGKILL");
    await load.stop();

    const stored = inspectSearches(path.join(temp.dataDir, "ciap.db"));
    const lost = lostWrites(load.acknowledged, stored.queries);
    console.log(
      `[faults] kill -9 under load: acknowledged ${load.acknowledged.size}, in the file ${stored.queries.size} (writes in flight may have committed unanswered), lost ${lost.length}, integrity_check ${stored.integrity.join("; ")}`,
    );
    expect(exitCode).toBeNull();
    expect(lost).toEqual([]);
    expect(stored.integrity).toEqual(["ok"]);

    const next = await startServerProcess(env);
    servers.push(next);
    const page = await call(next.url, "GET", "/api/v1/db/databases/ciap/tables/searches?page_size=1");
    expect(page.body.total_records).toBe(stored.queries.size);
    expect((await call(next.url, "POST", "/api/v1/db/databases/ciap/tables/searches/records", { json: { query: "after the crash" }, token: TEST_TOKEN })).status).toBe(201);
    expect(await next.stop("SIGTERM")).toBe(0);
  });
});
