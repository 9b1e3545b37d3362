import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import type { PostgresTarget } from "../engine-targets";

/** The PostgreSQL client programs backup and restore run. */
export type PostgresTool = "pg_dump" | "pg_restore" | "psql";

const TOOLS: readonly PostgresTool[] = ["pg_dump", "pg_restore", "psql"];

/**
 * The folder holding pg_dump, pg_restore and psql: `PG_BIN_DIR` when set, else the folder of
 * `pg_dump` on the PATH, else the newest `/usr/lib/postgresql/<version>/bin` (Debian's layout);
 * undefined when the tools are not installed.
 */
export function postgresToolsDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const hasAll = (dir: string) => TOOLS.every((tool) => existsSync(path.join(dir, tool)));
  const configured = env.PG_BIN_DIR?.trim();
  if (configured !== undefined && configured !== "") return hasAll(configured) ? configured : undefined;
  const onPath = spawnSync("sh", ["-c", "command -v pg_dump"], { encoding: "utf8" }).stdout.trim();
  if (onPath !== "" && hasAll(path.dirname(onPath))) return path.dirname(onPath);
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((version) => hasAll(path.join(root, version, "bin")))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? undefined : path.join(root, versions[0], "bin");
}

/** How the tools reach the server: the URL without password and without the framework's `schema` parameter, the password in the environment (never on a command line `ps` shows). */
export interface ToolConnection {
  readonly url: string;
  readonly env: NodeJS.ProcessEnv;
}

/** The connection the tools use for `target`. */
export function toolConnection(target: PostgresTarget): ToolConnection {
  const url = new URL(target.url);
  const password = decodeURIComponent(url.password);
  url.password = "";
  url.searchParams.delete("schema");
  const env: NodeJS.ProcessEnv = { ...process.env, PGCONNECT_TIMEOUT: process.env.PGCONNECT_TIMEOUT ?? "10" };
  if (password !== "") env.PGPASSWORD = password;
  return { url: url.toString(), env };
}

/** A tool that exited with a failure; `stderr` is the tool's own explanation (it never holds the password). */
export class PostgresToolError extends Error {
  constructor(
    readonly tool: PostgresTool,
    readonly exitCode: number | null,
    readonly stderr: string,
  ) {
    super(`${tool} failed (exit ${String(exitCode)}): ${stderr.trim().split("\n").slice(-3).join(" ")}`);
    this.name = "PostgresToolError";
  }
}

/** Runs one tool of `dir` to completion; rejects with {@link PostgresToolError} on a non-zero exit. */
export function runPostgresTool(dir: string, tool: PostgresTool, args: readonly string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(dir, tool), args, { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", (error) => reject(new PostgresToolError(tool, null, error.message)));
    child.on("close", (code) => (code === 0 ? resolve(stdout) : reject(new PostgresToolError(tool, code, stderr))));
  });
}
