import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { loopExt4Availability, mountLoopExt4, type Ext4Mount } from "../../support/fault-mounts";
import { call } from "../../support/http-harness";
import { describeWithService } from "../../support/required-service";
import { startServerProcess, type ServerProcess } from "../../support/server-process";
import { inspectSearches, lostWrites, SEARCHES, WriteLoad } from "../../support/write-load";
import { TEST_TOKEN } from "../http/fixtures";

/**
 * A real I/O error: the data dir lives on a loop-mounted ext4 image, and `chattr +i` on ciap's
 * database file and WAL in the middle of the load makes every write to them fail with EPERM,
 * which SQLite reports as SQLITE_IOERR_WRITE. `chattr -i` ends the fault. (The -shm file is left
 * alone: it is memory-mapped, and an immutable mapping would kill the process with SIGBUS.)
 */
describeWithService("loop-ext4", loopExt4Availability(), "an I/O error under HTTP write load (ext4 image, chattr +i mid-load)", () => {
  let mount: Ext4Mount;
  let server: ServerProcess | undefined;
  let faulty: string[] = [];

  beforeAll(() => {
    mount = mountLoopExt4("io-error", 96);
  });

  afterAll(async () => {
    if (faulty.length > 0) mount.setImmutable(faulty, false);
    await server?.stop("SIGKILL");
    mount.remove();
  });

  it("loses no acknowledged write, answers 503 IO_ERROR, keeps reads at 200, recovers once the fault ends, shuts down cleanly", async () => {
    const dataDir = path.join(mount.dir, "data");
    server = await startServerProcess({ DATABASE_DIR: dataDir, API_TOKEN: TEST_TOKEN, API_PUBLIC_READ: "true" });
    const { url } = server;
    const file = path.join(dataDir, "ciap.db");

    const load = new WriteLoad(url, TEST_TOKEN, 8, "ioerr");
    await load.until(() => load.acknowledged.size >= 200, 60_000, "200 writes before the fault");
    faulty = [file, `${file}-wal`];
    mount.setImmutable(faulty, true);
    const acknowledgedBeforeFault = load.acknowledged.size;
    await load.until(() => load.count("503 IO_ERROR") >= 200, 60_000, "200 IO_ERROR answers");

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
    expect(health.body.databases).toEqual(expect.arrayContaining([expect.objectContaining({ database: "ciap", code: "IO_ERROR" })]));

    const repairedAt = performance.now();
    mount.setImmutable(faulty, false);
    faulty = [];
    await load.until(() => load.acknowledgedAt.some((at) => at > repairedAt), 30_000, "a write after the fault ended");
    const recoveryMs = (load.acknowledgedAt.find((at) => at > repairedAt) as number) - repairedAt;
    const acknowledgedAfterRepair = load.acknowledged.size;
    await load.until(() => load.acknowledged.size >= acknowledgedAfterRepair + 200, 60_000, "200 more writes after recovery");
    await load.stop();
    expect((await call(url, "GET", "/health")).body.status).toBe("ok");

    const exitCode = await server.stop("SIGTERM");
    server = undefined;
    const stored = inspectSearches(file);
    const lost = lostWrites(load.acknowledged, stored.queries);
    const unexpected = [...load.outcomes.keys()].filter((key) => key !== "201" && key !== "503 IO_ERROR");

    console.log(
      `[faults] I/O error (chattr +i on ext4): acknowledged ${load.acknowledged.size} (${acknowledgedBeforeFault} before the fault), lost ${lost.length}, ` +
        `503 IO_ERROR ${load.count("503 IO_ERROR")}, other answers ${JSON.stringify(unexpected.map((key) => [key, load.count(key)]))}, ` +
        `reads during the fault ${JSON.stringify(Object.fromEntries(readStatuses))}, recovery ${recoveryMs.toFixed(0)} ms after chattr -i, exit ${exitCode}, integrity_check ${stored.integrity.join("; ")}`,
    );
    expect(lost).toEqual([]);
    expect(unexpected).toEqual([]);
    expect([...readStatuses.keys()]).toEqual([200]);
    expect(exitCode).toBe(0);
    expect(stored.integrity).toEqual(["ok"]);
    expect(stored.queries.size).toBe(load.acknowledged.size);
  });
});
