import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { tableRows } from "../../support/schema-snapshot";
import { stderrWithoutSlowStatements } from "../../support/stderr-lines";
import { createCompiledRoot, runCli } from "../../support/run-cli";
import { REPO_ROOT } from "../../support/temp-root";

const MIGRATION = `"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
class BackfillSearchUsers1700000000500 {
  constructor() {
    this.name = "BackfillSearchUsers1700000000500";
    this.description = "searches without a user belong to 'system'";
  }
  async up(queryRunner) {
    await queryRunner.query("UPDATE \\"searches\\" SET \\"user_id\\" = 'system' WHERE \\"user_id\\" IS NULL");
    await queryRunner.query("INSERT INTO \\"rate_limits\\" (\\"scraper_name\\", \\"request_count\\") VALUES ('held-run', 0)");
  }
  async down(queryRunner) {
    await queryRunner.query("DELETE FROM \\"rate_limits\\" WHERE \\"scraper_name\\" = 'held-run'");
  }
}
exports.BackfillSearchUsers1700000000500 = BackfillSearchUsers1700000000500;
`;

function waitForLine(child: ChildProcessWithoutNullStreams, pattern: RegExp, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffer = "";
    const timer = setTimeout(() => reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms; got: ${buffer}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString();
      const line = buffer.split("\n").find((candidate) => pattern.test(candidate));
      if (line !== undefined) {
        clearTimeout(timer);
        child.stdout.off("data", onData);
        resolve(line);
      }
    };
    child.stdout.on("data", onData);
  });
}

describe("moduledb migration:run while a process without an HTTP API holds the databases open and writes", () => {
  const temp = createCompiledRoot("cli-held", ["ciap"]);
  afterAll(() => temp.remove());

  it("is refused with DATABASE_IN_USE naming the holder; nothing changes and every acknowledged write is kept", async () => {
    const holder = spawn(process.execPath, [path.join(REPO_ROOT, "dist", "test", "support", "hold-and-write.js"), temp.root, temp.dataDir], { cwd: REPO_ROOT, stdio: ["pipe", "pipe", "pipe"] });
    let holderErrors = "";
    holder.stderr.on("data", (chunk: Buffer) => (holderErrors += chunk.toString()));
    try {
      await waitForLine(holder, /^ready$/, 30_000);
      await waitForLine(holder, /^progress [1-9]\d*$/, 30_000);

      const folder = path.join(temp.root, "modules", "ciap", "migrations");
      mkdirSync(folder, { recursive: true });
      writeFileSync(path.join(folder, "1700000000500-backfill-search-users.js"), MIGRATION);

      for (const command of [["migration:run", "ciap"], ["migration:revert", "ciap"], ["seed", "ciap"]]) {
        const refused = await runCli([...command, "--json", "--root", temp.root, "--data", temp.dataDir]);
        expect(refused.code, `${command.join(" ")}: ${refused.stdout}\n${refused.stderr}`).toBe(1);
        const error = (JSON.parse(refused.stdout) as { error: { code: string; message: string; details: { holders: { pid: number; admin_url: string | null }[] } } }).error;
        expect(error.code).toBe("DATABASE_IN_USE");
        expect(error.message).toContain(`held by pid ${holder.pid}`);
        expect(error.details.holders).toEqual([expect.objectContaining({ pid: holder.pid, admin_url: null })]);
      }
      const status = await runCli(["migration:status", "ciap", "--json", "--root", temp.root, "--data", temp.dataDir]);
      expect(status.code, status.stderr).toBe(0);
      expect((JSON.parse(status.stdout) as { databases: { pending: { name: string }[] }[] }).databases[0]?.pending.map((entry) => entry.name)).toEqual(["BackfillSearchUsers1700000000500"]);

      await waitForLine(holder, /^progress \d+$/, 30_000);
      const done = waitForLine(holder, /^\{/, 30_000);
      holder.stdin.write("stop\n");
      const { acked, failures } = JSON.parse(await done) as { acked: number[]; failures: string[] };
      expect(failures).toEqual([]);
      expect(acked.length).toBeGreaterThan(20);

      const file = path.join(temp.dataDir, "ciap.db");
      const stored = new Set(tableRows(file, "searches").map((row) => Number(row.id)));
      expect(acked.filter((id) => !stored.has(id))).toEqual([]);
      expect(tableRows(file, "rate_limits").map((row) => row.scraper_name)).not.toContain("held-run");
      // Only what the fresh database recorded at boot (ciap's shipped migrations, as baseline): nothing ran.
      expect(tableRows(file, "moduledb_migrations").map((row) => row.mode)).toEqual(["baseline", "baseline", "baseline"]);
      expect(stderrWithoutSlowStatements(holderErrors)).toBe("");
    } finally {
      if (holder.exitCode === null) holder.kill("SIGKILL");
    }
  });
});
