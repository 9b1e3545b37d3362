import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { execFile } from "node:child_process";
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bootFramework, createBackup, listBackups, restoreBackup, type BackupManifest } from "../../../framework";
import { sha256File } from "../../../framework/backup/file-integrity";
import { createTempRoot, REPO_ROOT } from "../../support/temp-root";

const execFileAsync = promisify(execFile);
const CLI = path.join(REPO_ROOT, "dist", "framework", "cli", "main.js");
const WRITER = path.join(REPO_ROOT, "dist", "test", "support", "sequence-writer.js");

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

async function cli(args: string[], dataDir: string): Promise<CliRun> {
  try {
    const { stdout, stderr } = await execFileAsync(process.execPath, [CLI, ...args], { env: { ...process.env, DATABASE_DIR: dataDir, REDIS_URL: "" } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

function startWriter(file: string): Promise<ChildProcessWithoutNullStreams> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WRITER, file]);
    child.stdout.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("ready")) resolve(child);
    });
    child.once("exit", (code) => reject(new Error(`writer exited early (${String(code)})`)));
  });
}

function stopWriter(child: ChildProcessWithoutNullStreams): Promise<number> {
  return new Promise((resolve) => {
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.once("exit", () => resolve(Number(/last (\d+)/.exec(output)?.[1] ?? -1)));
    child.kill("SIGTERM");
  });
}

function sequenceOf(file: string): number[] {
  const connection = new Database(file, { readonly: true });
  try {
    return (connection.prepare("SELECT n FROM seq ORDER BY n").all() as { n: number }[]).map((row) => row.n);
  } finally {
    connection.close();
  }
}

function integrityOf(file: string): string {
  const connection = new Database(file, { readonly: true });
  try {
    return connection.pragma("integrity_check", { simple: true }) as string;
  } finally {
    connection.close();
  }
}

function expectGapless(sequence: number[]): void {
  expect(sequence.length).toBeGreaterThan(0);
  expect(sequence[0]).toBe(1);
  expect(sequence[sequence.length - 1]).toBe(sequence.length);
}

describe("backup and restore", () => {
  const temp = createTempRoot("backup");
  const outDir = path.join(temp.root, "backups");
  const seqFile = path.join(temp.dataDir, "seqdb.db");
  let backupDir: string;
  let manifest: BackupManifest;
  let writtenDuringBackup: number;
  let lastWritten: number;

  beforeAll(async () => {
    // A framework database too, so backups hold more than one database.
    const framework = await bootFramework({ rootDir: temp.root, dataDir: temp.dataDir });
    await framework.shutdown();
  });
  afterAll(() => temp.remove());

  it("backs up while a process keeps writing: integrity ok, a gapless prefix of the writes, manifest complete", async () => {
    const writer = await startWriter(seqFile);
    try {
      const run = await cli(["backup", "--out", outDir, "--json"], temp.dataDir);
      expect(run.code, run.stderr).toBe(0);
      const printed = JSON.parse(run.stdout) as { dir: string; manifest: BackupManifest };
      backupDir = printed.dir;
      manifest = JSON.parse(readFileSync(path.join(backupDir, "manifest.json"), "utf8")) as BackupManifest;
      expect(printed.manifest).toEqual(manifest);
      // Plain progress lines, since stderr is not a terminal here.
      expect(run.stderr).toContain("backup seqdb: ok");
    } finally {
      lastWritten = await stopWriter(writer);
    }
    expect(manifest.databases.map((entry) => entry.name)).toEqual(["framework", "seqdb"]);
    const seqEntry = manifest.databases.find((entry) => entry.name === "seqdb")!;
    const copy = path.join(backupDir, "seqdb.db");
    expect(integrityOf(copy)).toBe("ok");
    expect(seqEntry.integrity_check).toEqual(["ok"]);
    const sequence = sequenceOf(copy);
    expectGapless(sequence);
    writtenDuringBackup = sequence.length;
    expect(writtenDuringBackup).toBeGreaterThanOrEqual(500);
    expect(lastWritten).toBeGreaterThan(writtenDuringBackup);
    expect(seqEntry.row_counts).toEqual({ seq: writtenDuringBackup });
    expect(seqEntry.sha256).toBe(await sha256File(copy));
    expect(seqEntry.migrations).toBeNull();
    expect(manifest.databases.find((entry) => entry.name === "framework")!.row_counts).toHaveProperty("cache_entries");
    expect(readdirSync(backupDir).sort()).toEqual(["framework.db", "manifest.json", "seqdb.db"]);
    console.log(`backup under load: ${writtenDuringBackup} of ${lastWritten} rows, ${seqEntry.pages} pages, ${seqEntry.restarts} restart(s) of the online copy`);
  });

  it("records migration state when moduledb_migrations exists, and prunes by --keep", async () => {
    const connection = new Database(path.join(temp.dataDir, "migrated.db"));
    connection.exec("CREATE TABLE moduledb_migrations (id INTEGER PRIMARY KEY, timestamp BIGINT NOT NULL, name VARCHAR NOT NULL)");
    connection.prepare("INSERT INTO moduledb_migrations (timestamp, name) VALUES (?, ?)").run(1700000000000, "CreateThings1700000000000");
    connection.close();
    const pruneDir = path.join(temp.root, "prune-test");
    const first = (await createBackup({ dataDir: temp.dataDir, outDir: pruneDir, database: "migrated" }))._unsafeUnwrap();
    expect(first.manifest.databases.map((entry) => entry.name)).toEqual(["migrated"]);
    expect(first.manifest.databases[0]!.migrations).toEqual([{ id: 1, timestamp: 1700000000000, name: "CreateThings1700000000000" }]);
    (await createBackup({ dataDir: temp.dataDir, outDir: pruneDir, database: "migrated" }))._unsafeUnwrap();
    expect(listBackups(pruneDir)).toHaveLength(2);
    const pruning = await cli(["backup", "migrated", "--out", pruneDir, "--keep", "1"], temp.dataDir);
    expect(pruning.code, pruning.stderr).toBe(0);
    const left = listBackups(pruneDir);
    expect(left).toHaveLength(1);
    expect(left[0]! > first.dir).toBe(true);
    expect(existsSync(first.dir)).toBe(false);
    expect((await cli(["backup", "--out", pruneDir, "--keep", "0"], temp.dataDir)).code).toBe(2);
    const unknown = await cli(["backup", "nosuchdb", "--out", pruneDir], temp.dataDir);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("DATABASE_NOT_FOUND");
  });

  it("refuses a backup whose checksum does not match, changing nothing", async () => {
    const tampered = path.join(temp.root, "tampered");
    cpSync(backupDir, tampered, { recursive: true });
    const copy = path.join(tampered, "seqdb.db");
    const bytes = readFileSync(copy);
    const middle = Math.floor(bytes.length / 2);
    bytes[middle] = (bytes[middle] ?? 0) ^ 0xff;
    writeFileSync(copy, bytes);
    const before = { sha: await sha256File(seqFile), files: readdirSync(temp.dataDir).sort() };
    const run = await cli(["restore", tampered], temp.dataDir);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("CHECKSUM_MISMATCH");
    expect(await sha256File(seqFile)).toBe(before.sha);
    expect(readdirSync(temp.dataDir).sort()).toEqual(before.files);
    expect(sequenceOf(seqFile)).toHaveLength(lastWritten);
    const noManifest = await cli(["restore", temp.dataDir], temp.dataDir);
    expect(noManifest.code).toBe(1);
    expect(noManifest.stderr).toContain("MANIFEST_INVALID");
  });

  it("restores the backup atomically and keeps the replaced file aside", async () => {
    expect(sequenceOf(seqFile)).toHaveLength(lastWritten);
    const run = await cli(["restore", backupDir, "seqdb", "--json"], temp.dataDir);
    expect(run.code, run.stderr).toBe(0);
    const { restored } = JSON.parse(run.stdout) as { restored: { name: string; replaced_file: string }[] };
    expect(restored.map((entry) => entry.name)).toEqual(["seqdb"]);
    const restoredSequence = sequenceOf(seqFile);
    expectGapless(restoredSequence);
    expect(restoredSequence).toHaveLength(writtenDuringBackup);
    expect(integrityOf(seqFile)).toBe("ok");
    expect(sequenceOf(restored[0]!.replaced_file)).toHaveLength(lastWritten);
    const leftovers = readdirSync(temp.dataDir).filter((name) => name.endsWith(".tmp") || name === "seqdb.db-wal");
    expect(leftovers).toEqual([]);
  });

  it("refuses to restore a database a running framework holds, and restores it once stopped", async () => {
    const framework = await bootFramework({ rootDir: temp.root, dataDir: temp.dataDir });
    const frameworkFile = path.join(temp.dataDir, "framework.db");
    let stopped = false;
    try {
      const refused = await restoreBackup({ backupDir, dataDir: temp.dataDir, database: "framework" });
      expect(refused._unsafeUnwrapErr().code).toBe("DATABASE_IN_USE");
      expect(refused._unsafeUnwrapErr().details).toEqual({ holders: [expect.objectContaining({ database: "framework", pid: process.pid })] });
      const viaCli = await cli(["restore", backupDir], temp.dataDir);
      expect(viaCli.code).toBe(1);
      expect(viaCli.stderr).toContain("DATABASE_IN_USE");
      expect(readdirSync(temp.dataDir).filter((name) => name.includes(".replaced-") && name.startsWith("framework"))).toEqual([]);
      await framework.shutdown();
      stopped = true;
      const allowed = await restoreBackup({ backupDir, dataDir: temp.dataDir, database: "framework" });
      expect(allowed._unsafeUnwrap().map((entry) => entry.name)).toEqual(["framework"]);
      expect(integrityOf(frameworkFile)).toBe("ok");
    } finally {
      if (!stopped) await framework.shutdown();
    }
  });
});
