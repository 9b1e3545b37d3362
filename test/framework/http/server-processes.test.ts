import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { call } from "../../support/http-harness";
import { runMain, startServerProcess, type ServerProcess } from "../../support/server-process";
import { createTempRoot, type TempRoot } from "../../support/temp-root";
import { TEST_TOKEN } from "./fixtures";

const records = "/api/v1/db/databases/ciap/tables/searches/records";
const started: ServerProcess[] = [];
let temp: TempRoot | undefined;

afterEach(async () => {
  for (const server of started.splice(0)) await server.stop("SIGKILL");
  temp?.remove();
  temp = undefined;
});

/** An acknowledged write: the id and query the server said it stored. */
interface Acknowledged {
  readonly id: number;
  readonly query: string;
}

/** Sends `count` creates to `url`, `concurrency` at a time; returns what was acknowledged and what failed. */
async function writeMany(url: string, label: string, count: number, concurrency: number): Promise<{ acknowledged: Acknowledged[]; failures: string[] }> {
  const acknowledged: Acknowledged[] = [];
  const failures: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const query = `${label}-${next++}`;
      try {
        const response = await call(url, "POST", records, { json: { query, sources: [label] }, token: TEST_TOKEN });
        if (response.status === 201) acknowledged.push({ id: response.body.record.id as number, query: response.body.record.query as string });
        else failures.push(`${response.status} ${response.text}`);
      } catch (error) {
        failures.push(String(error));
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { acknowledged, failures };
}

function storedSearches(dataDir: string): Map<number, string> {
  const db = new Database(path.join(dataDir, "ciap.db"), { readonly: true });
  try {
    return new Map((db.prepare("SELECT id, query FROM searches").all() as { id: number; query: string }[]).map((row) => [row.id, row.query]));
  } finally {
    db.close();
  }
}

describe("API server processes (npm start's main.js)", () => {
  it("two servers on the same data folder, two ports: every acknowledged concurrent write is in the database", async () => {
    temp = createTempRoot("http-two-servers");
    const env = { DATABASE_DIR: temp.dataDir, API_TOKEN: TEST_TOKEN, API_PUBLIC_READ: "true" };
    const first = await startServerProcess(env);
    started.push(first);
    const second = await startServerProcess(env);
    started.push(second);
    expect(first.url).not.toBe(second.url);

    const [a, b] = await Promise.all([writeMany(first.url, "a", 150, 8), writeMany(second.url, "b", 150, 8)]);
    const acknowledged = [...a.acknowledged, ...b.acknowledged];
    // Lock contention may refuse a write (503 DATABASE_LOCKED); it must never lose an acknowledged one.
    for (const failure of [...a.failures, ...b.failures]) expect(failure).toMatch(/^503 .*DATABASE_LOCKED/);
    expect(a.acknowledged.length).toBeGreaterThan(100);
    expect(b.acknowledged.length).toBeGreaterThan(100);
    expect(new Set(acknowledged.map((write) => write.id)).size).toBe(acknowledged.length);

    // Each server also reads the other's writes.
    const total = await call(first.url, "GET", "/api/v1/db/databases/ciap/tables/searches?page_size=1");
    expect(total.body.total_records).toBe(acknowledged.length);

    expect(await first.stop()).toBe(0);
    expect(await second.stop()).toBe(0);
    const stored = storedSearches(temp.dataDir);
    for (const write of acknowledged) expect(stored.get(write.id)).toBe(write.query);
    expect(stored.size).toBe(acknowledged.length);
  });

  it("SIGTERM stops accepting, finishes in-flight writes and closes the databases; nothing acknowledged is lost", async () => {
    temp = createTempRoot("http-sigterm");
    const server = await startServerProcess({ DATABASE_DIR: temp.dataDir });
    started.push(server);
    const acknowledged: Acknowledged[] = [];
    const writes = Array.from({ length: 200 }, async (_, index) => {
      try {
        const response = await call(server.url, "POST", records, { json: { query: `sig-${index}` } });
        if (response.status === 201) acknowledged.push({ id: response.body.record.id as number, query: response.body.record.query as string });
        else expect(response.body.error.code).toBe("NOT_READY");
      } catch {
        // Refused connections after the listener closed are expected.
      }
    });
    while (acknowledged.length < 10) await new Promise((resolve) => setTimeout(resolve, 5));
    const exitCode = server.stop("SIGTERM");
    // Once readiness reports the drain (or the listener is gone), no new write may be accepted.
    for (;;) {
      const ready = await fetch(`${server.url}/ready`).then((response) => response.status, () => 0);
      if (ready !== 200) break;
    }
    const late = await Promise.all(
      Array.from({ length: 20 }, (_, index) => call(server.url, "POST", records, { json: { query: `late-${index}` } }).then((response) => response.status, () => 0)),
    );
    expect(late.filter((status) => status === 201)).toEqual([]);
    await Promise.all(writes);
    expect(await exitCode).toBe(0);
    expect(server.output()).not.toMatch(/error/i);

    const stored = storedSearches(temp.dataDir);
    expect(acknowledged.length).toBeGreaterThanOrEqual(10);
    for (const write of acknowledged) expect(stored.get(write.id)).toBe(write.query);
    // Closing checkpoints the WAL: no write is left only in the log.
    const wal = path.join(temp.dataDir, "ciap.db-wal");
    expect(existsSync(wal) ? statSync(wal).size : 0).toBe(0);
    await expect(fetch(`${server.url}/health`)).rejects.toThrow();
  });

  it("refuses to start on a non-loopback HOST without API_TOKEN, before touching any database", async () => {
    temp = createTempRoot("http-insecure");
    const run = runMain({ DATABASE_DIR: temp.dataDir, HOST: "0.0.0.0", PORT: "0", API_TOKEN: "" });
    expect(await run.exited).toBe(1);
    expect(run.output()).toContain("Refusing to listen on HOST='0.0.0.0' without API_TOKEN");
    expect(existsSync(temp.dataDir) ? readdirSync(temp.dataDir) : []).toEqual([]);
  });

  it("starts on a non-loopback HOST when API_TOKEN is set, and then requires it for writes", async () => {
    temp = createTempRoot("http-token-host");
    const server = await startServerProcess({ DATABASE_DIR: temp.dataDir, HOST: "0.0.0.0", API_TOKEN: TEST_TOKEN });
    started.push(server);
    const url = server.url.replace("0.0.0.0", "127.0.0.1");
    expect((await call(url, "POST", records, { json: { query: "q" } })).status).toBe(401);
    expect((await call(url, "POST", records, { json: { query: "q" }, token: TEST_TOKEN })).status).toBe(201);
  });
});
