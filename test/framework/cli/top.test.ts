import { spawn } from "node:child_process";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { call } from "../../support/http-harness";
import { createCompiledRoot, runCli } from "../../support/run-cli";
import { startServerProcess, type ServerProcess } from "../../support/server-process";
import { REPO_ROOT } from "../../support/temp-root";

interface Snapshot {
  source: { kind: string; pid?: number; url?: string };
  databases: { name: string; ready: boolean; statements: number; transactions_committed: number; file_bytes: number; statement_p95_ms: number | null }[];
  http: { requests: number };
  process: { heap_used_bytes: number | null };
}

describe("moduledb top", () => {
  const temp = createCompiledRoot("cli-top", ["ciap"]);
  const paths = ["--root", temp.root, "--data", temp.dataDir];
  let server: ServerProcess | undefined;
  afterAll(async () => {
    await server?.stop("SIGKILL");
    temp.remove();
  });

  it("--json reads the files directly when no server holds them", async () => {
    const run = await runCli(["top", "--json", ...paths]);
    expect(run.code, run.stderr).toBe(0);
    const snapshot = JSON.parse(run.stdout) as Snapshot;
    expect(snapshot.source).toEqual({ kind: "direct" });
    expect(snapshot.databases.map((database) => database.name)).toEqual(["ciap", "framework"]);
    expect(snapshot.databases.every((database) => database.ready && database.file_bytes > 0)).toBe(true);
  });

  it("--json goes through the serving process and shows its activity", async () => {
    server = await startServerProcess({ MODULEDB_ROOT: temp.root, DATABASE_DIR: temp.dataDir, REDIS_URL: "" });
    for (let index = 0; index < 10; index += 1) {
      const created = await call(server.url, "POST", "/api/v1/db/databases/ciap/tables/searches/records", { json: { query: `top ${index}`, sources: ["google"] } });
      expect(created.status).toBe(201);
    }
    const run = await runCli(["top", "--json", ...paths]);
    expect(run.code, run.stderr).toBe(0);
    const snapshot = JSON.parse(run.stdout) as Snapshot;
    expect(snapshot.source).toMatchObject({ kind: "server", pid: server.child.pid, url: server.url });
    const ciap = snapshot.databases.find((database) => database.name === "ciap");
    expect(ciap?.statements).toBeGreaterThanOrEqual(10);
    expect(ciap?.transactions_committed).toBeGreaterThanOrEqual(10);
    expect(ciap?.statement_p95_ms).toBeGreaterThan(0);
    expect(snapshot.http.requests).toBeGreaterThanOrEqual(10);
    expect(snapshot.process.heap_used_bytes).toBeGreaterThan(0);
  });

  it("refreshes a live view on a terminal (a real pseudo-terminal) until q", async () => {
    expect(server).toBeDefined();
    const command = [process.execPath, path.join(REPO_ROOT, "bin", "moduledb.js"), "top", "--interval", "200", ...paths].map((part) => `'${part}'`).join(" ");
    // script(1) runs the command on a new pseudo-terminal and relays our stdin to it.
    const child = spawn("script", ["-qfec", command, "/dev/null"], { cwd: REPO_ROOT, stdio: ["pipe", "pipe", "pipe"], env: { ...process.env, TERM: "xterm" } });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    const deadline = Date.now() + 30_000;
    while ((output.match(/\u001b\[H\u001b\[2J/g) ?? []).length < 3 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    child.stdin.write("q");
    const code = await Promise.race([exited, new Promise<"timeout">((resolve) => setTimeout(() => resolve("timeout"), 10_000))]);
    if (code === "timeout") child.kill("SIGKILL");
    expect(code).toBe(0);
    const frames = output.split("\u001b[H\u001b[2J").filter((frame) => frame.includes("moduledb top"));
    expect(frames.length).toBeGreaterThanOrEqual(3);
    const last = frames.at(-1) ?? "";
    expect(last).toContain(`server pid ${server?.child.pid}`);
    expect(last).toMatch(/\nciap\s+ready\s+[\d.]+\s/); // a rate per second, not "-", from the second frame on
    expect(last).toContain("q or Ctrl-C quits");
  });

  it("sends API_TOKEN to a server that requires it, and says so when the token is wrong", async () => {
    const guarded = createCompiledRoot("cli-top-token", ["ciap"]);
    const guardedPaths = ["--root", guarded.root, "--data", guarded.dataDir];
    const token = "top-token-0123456789abcdef";
    const serving = await startServerProcess({ MODULEDB_ROOT: guarded.root, DATABASE_DIR: guarded.dataDir, REDIS_URL: "", API_TOKEN: token });
    try {
      const ok = await runCli(["top", "--json", ...guardedPaths], { API_TOKEN: token });
      expect(ok.code, ok.stderr).toBe(0);
      expect((JSON.parse(ok.stdout) as Snapshot).source).toMatchObject({ kind: "server", pid: serving.child.pid });
      const refused = await runCli(["top", "--json", ...guardedPaths], { API_TOKEN: "wrong-token-0123456789abcdef" });
      expect(refused.code).toBe(1);
      expect(JSON.parse(refused.stdout)).toMatchObject({ error: { code: "UNAUTHORIZED" } });
    } finally {
      await serving.stop("SIGKILL");
      guarded.remove();
    }
  });

  it("rejects a bad --interval as a usage error", async () => {
    const run = await runCli(["top", "--interval", "5", ...paths]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/VALIDATION_FAILED.*--interval/);
  });
});
