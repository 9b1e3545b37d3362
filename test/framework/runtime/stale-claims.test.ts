import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { liveHolders } from "../../../framework/runtime/holder-file";
import { runCli } from "../../support/run-cli";
import { startServerProcess } from "../../support/server-process";
import { createTempRoot, REPO_ROOT } from "../../support/temp-root";

const CLI = path.join(REPO_ROOT, "bin", "moduledb.js");

function holderFiles(dataDir: string): string[] {
  return readdirSync(dataDir).filter((name) => /^\.moduledb-holder-\d+\.json$/.test(name));
}

function partials(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).filter((name) => name.endsWith(".partial")) : [];
}

/** Starts `moduledb backup` and kills it with SIGKILL as soon as it reports copying. */
function killBackupMidway(args: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, "backup", ...args], { stdio: ["ignore", "ignore", "pipe"] });
    child.stderr.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("copying")) child.kill("SIGKILL");
    });
    child.on("error", reject);
    child.on("exit", () => resolve());
  });
}

describe("claims of processes killed with kill -9, and a reused pid", () => {
  const temp = createTempRoot("stale-claims", "compiled");
  const paths = ["--root", temp.root, "--data", temp.dataDir];
  const outDir = path.join(temp.root, "backups");
  const sleepers: ReturnType<typeof spawn>[] = [];
  afterAll(() => {
    for (const sleeper of sleepers) sleeper.kill("SIGKILL");
    temp.remove();
  });

  it("after 5 killed servers and a pid reused by another process, restore neither refuses wrongly nor leaves .partial folders", async () => {
    // A database big enough that a backup is still copying when it is killed.
    mkdirSync(temp.dataDir, { recursive: true });
    const big = new Database(path.join(temp.dataDir, "bulk.db"));
    big.pragma("journal_mode = WAL");
    big.exec("CREATE TABLE blobs (id INTEGER PRIMARY KEY, payload BLOB NOT NULL)");
    const insert = big.prepare("INSERT INTO blobs (payload) VALUES (randomblob(4096))");
    big.transaction(() => {
      for (let index = 0; index < 12_000; index += 1) insert.run();
    })();
    big.close();

    const killed: number[] = [];
    for (let trial = 0; trial < 5; trial += 1) {
      const server = await startServerProcess({ MODULEDB_ROOT: temp.root, DATABASE_DIR: temp.dataDir, REDIS_URL: "" });
      killed.push(server.child.pid as number);
      expect(await server.stop("SIGKILL")).toBeNull();
    }
    // Each boot deleted the file of the server killed before it; the last one's is still there.
    expect(holderFiles(temp.dataDir)).toEqual([`.moduledb-holder-${killed[4]}.json`]);

    // A pid reused: the last holder file now names a live process that started after the server did.
    const sleeper = spawn("sleep", ["60"], { stdio: "ignore" });
    sleepers.push(sleeper);
    const reusedFile = path.join(temp.dataDir, `.moduledb-holder-${killed[4]}.json`);
    const record = JSON.parse(readFileSync(reusedFile, "utf8")) as { pid: number; process_start: string };
    expect(record.process_start).toMatch(/^(linux|ps):/);
    writeFileSync(path.join(temp.dataDir, `.moduledb-holder-${sleeper.pid}.json`), JSON.stringify({ ...record, pid: sleeper.pid }));

    // Each killed backup leaves its .partial folder; the next backup run deletes it first.
    const seen = new Set<string>();
    for (let trial = 0; trial < 5; trial += 1) {
      await killBackupMidway(["--out", outDir, ...paths]);
      const present = partials(outDir);
      expect(present.length).toBeLessThanOrEqual(1);
      for (const name of present) seen.add(name);
    }
    const leftBehind = partials(outDir);
    console.log(`5 killed backups: ${seen.size} left a .partial folder; ${leftBehind.length} still there before the next run`);
    expect(seen.size).toBeGreaterThanOrEqual(3);

    const backup = await runCli(["backup", "--out", outDir, "--keep", "1", "--json", ...paths]);
    expect(backup.code, backup.stderr).toBe(0);
    const report = JSON.parse(backup.stdout) as { dir: string; stale_partials_removed: string[] };
    expect(report.stale_partials_removed.map((dir) => path.basename(dir)).sort()).toEqual([...leftBehind].sort());
    expect(partials(outDir)).toEqual([]);

    const restore = await runCli(["restore", report.dir, "--json", ...paths]);
    expect(restore.code, restore.stderr).toBe(0);
    expect((JSON.parse(restore.stdout) as { restored: { name: string }[] }).restored.map((entry) => entry.name)).toEqual(["bulk", "framework"]);
    expect(holderFiles(temp.dataDir)).toEqual([]);
    expect(liveHolders(temp.dataDir)).toEqual([]);
    expect(readdirSync(temp.dataDir).filter((name) => name.endsWith(".tmp") || name.startsWith(".moduledb-exclusive"))).toEqual([]);
    // Several real processes (servers, CLI runs) one after another on a shared 2-core machine.
  }, 300_000);
});
