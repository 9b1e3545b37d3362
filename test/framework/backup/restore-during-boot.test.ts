import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call } from "../../support/http-harness";
import { createCompiledRoot, runCli, type CliRun } from "../../support/run-cli";
import { tableRows } from "../../support/schema-snapshot";
import { runMain } from "../../support/server-process";

const TRIALS = 20;
const WRITES_PER_TRIAL = 25;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Waits for the "listening on" line of a runMain child. */
async function listening(run: ReturnType<typeof runMain>, timeoutMs = 60_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = /listening on (http:\/\/[^\s)]+)/.exec(run.output());
    if (match?.[1] !== undefined) return match[1];
    if (run.child.exitCode !== null || Date.now() > deadline) throw new Error(`server did not start:\n${run.output()}`);
    await sleep(10);
  }
}

describe("restore started 0–1 s after a server starts (real processes, 20 trials)", () => {
  const temp = createCompiledRoot("restore-boot", ["ciap"]);
  const paths = ["--root", temp.root, "--data", temp.dataDir];
  let backupDir: string;
  // Servers of a trial that a timeout interrupted would outlive the test; afterAll stops them.
  const servers: ReturnType<typeof runMain>[] = [];
  beforeAll(async () => {
    const seeded = await runCli(["seed", "ciap", ...paths]);
    expect(seeded.code, seeded.stderr).toBe(0);
    const backup = await runCli(["backup", "ciap", "--out", path.join(temp.root, "backups"), "--json", ...paths]);
    expect(backup.code, backup.stderr).toBe(0);
    backupDir = (JSON.parse(backup.stdout) as { dir: string }).dir;
  });
  afterAll(() => {
    for (const server of servers) if (server.child.exitCode === null) server.child.kill("SIGKILL");
    temp.remove();
  });

  it("loses no acknowledged write: the restore either goes first (the server opens the restored file) or is refused", async () => {
    const outcomes: { delayMs: number; restore: string; acked: number; lost: number }[] = [];
    for (let trial = 0; trial < TRIALS; trial += 1) {
      const delayMs = Math.round((trial / (TRIALS - 1)) * 1000);
      const server = runMain({ PORT: "0", MODULEDB_ROOT: temp.root, DATABASE_DIR: temp.dataDir, REDIS_URL: "" });
      servers.push(server);
      let restore: Promise<CliRun> | undefined;
      try {
        await sleep(delayMs);
        restore = runCli(["restore", backupDir, "ciap", "--json", ...paths]);
        const url = await listening(server);
        const acked: number[] = [];
        for (let index = 0; index < WRITES_PER_TRIAL; index += 1) {
          const created = await call(url, "POST", "/api/v1/db/databases/ciap/tables/searches/records", { json: { query: `trial ${trial} write ${index}`, sources: ["google"] } });
          expect(created.status, created.text).toBe(201);
          acked.push(Number(created.body.record.id));
        }
        const restored = await restore;
        const verdict = restored.code === 0 ? "restored" : (JSON.parse(restored.stdout) as { error: { code: string } }).error.code;
        expect(["restored", "DATABASE_IN_USE"]).toContain(verdict);
        server.child.kill("SIGTERM");
        expect(await server.exited).toBe(0);
        const stored = new Set(tableRows(path.join(temp.dataDir, "ciap.db"), "searches").map((row) => Number(row.id)));
        const lost = acked.filter((id) => !stored.has(id)).length;
        outcomes.push({ delayMs, restore: verdict, acked: acked.length, lost });
      } finally {
        if (server.child.exitCode === null) server.child.kill("SIGKILL");
        await restore?.catch(() => undefined);
      }
    }
    const restoredCount = outcomes.filter((outcome) => outcome.restore === "restored").length;
    const totalAcked = outcomes.reduce((sum, outcome) => sum + outcome.acked, 0);
    const totalLost = outcomes.reduce((sum, outcome) => sum + outcome.lost, 0);
    console.log(`restore during boot: ${TRIALS} trials, ${restoredCount} restored before the server claimed the files, ${TRIALS - restoredCount} refused (DATABASE_IN_USE); ${totalAcked} acknowledged writes, ${totalLost} lost`);
    console.log(outcomes.map((outcome) => `${outcome.delayMs}ms:${outcome.restore}`).join(" "));
    expect(outcomes).toHaveLength(TRIALS);
    expect(totalAcked).toBe(TRIALS * WRITES_PER_TRIAL);
    expect(totalLost).toBe(0);
  }, 600_000);
});
