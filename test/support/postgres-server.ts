import { spawnSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort } from "./redis-server";
import type { ServiceAvailability } from "./required-service";

/** A PostgreSQL cluster started for a test or bench run, on loopback, in a temporary folder. */
export interface PostgresServerHandle {
  readonly port: number;
  /** `postgres://postgres@127.0.0.1:<port>/postgres` (trust authentication on loopback). */
  readonly url: string;
  readonly dataDir: string;
  /** Stops the server immediately (`pg_ctl stop -m immediate`: like a crash, no checkpoint). */
  kill(): void;
  /** Stops the server cleanly. */
  stop(): void;
  /** Starts it again on the same port and folder. */
  start(): void;
  /** Stops the server and removes its folder. */
  remove(): void;
}

/** The folder holding initdb and pg_ctl, or undefined when PostgreSQL's server is not installed. */
export function postgresBinDir(): string | undefined {
  const fromPath = spawnSync("sh", ["-c", "command -v initdb"], { encoding: "utf8" }).stdout.trim();
  if (fromPath !== "") return path.dirname(fromPath);
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).filter((name) => existsSync(path.join(root, name, "bin", "initdb"))).sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? undefined : path.join(root, versions[0], "bin");
}

/** Whether a private cluster can be started here, and if not, why. */
export function postgresServerAvailability(): ServiceAvailability {
  if (postgresBinDir() === undefined) return { available: false, reason: "PostgreSQL's server is not installed (apt-get install postgresql)" };
  if (process.getuid?.() === 0 && spawnSync("id", ["-u", "postgres"]).status !== 0) return { available: false, reason: "running as root and there is no 'postgres' user to run the server as" };
  return { available: true };
}

/** Runs a PostgreSQL tool, as the `postgres` user when this process is root (initdb refuses root). */
function runTool(binDir: string, tool: string, args: readonly string[]): void {
  const binary = path.join(binDir, tool);
  const asRoot = process.getuid?.() === 0;
  const outcome = asRoot ? spawnSync("runuser", ["-u", "postgres", "--", binary, ...args], { encoding: "utf8" }) : spawnSync(binary, args, { encoding: "utf8" });
  if (outcome.status !== 0) throw new Error(`${tool} ${args.join(" ")} failed (${String(outcome.status)}): ${outcome.stderr}${outcome.stdout}`);
}

function ownByPostgres(folder: string): void {
  if (process.getuid?.() !== 0) return;
  const ids = spawnSync("id", ["-u", "postgres"], { encoding: "utf8" }).stdout.trim();
  const gid = spawnSync("id", ["-g", "postgres"], { encoding: "utf8" }).stdout.trim();
  chownSync(folder, Number(ids), Number(gid));
}

/**
 * Creates a cluster with `initdb` in a new temporary folder and starts it on a free loopback port
 * (or `fixedPort`), with trust authentication for loopback connections only.
 */
export async function startPostgresServer(fixedPort?: number): Promise<PostgresServerHandle> {
  const binDir = postgresBinDir();
  if (binDir === undefined) throw new Error("PostgreSQL's server is not installed");
  const base = mkdtempSync(path.join(os.tmpdir(), "moduledb-pg-"));
  ownByPostgres(base);
  const dataDir = path.join(base, "data");
  const socketDir = base;
  runTool(binDir, "initdb", ["-D", dataDir, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"]);
  const port = fixedPort ?? (await freePort());
  const config = [`port = ${port}`, "listen_addresses = '127.0.0.1'", `unix_socket_directories = '${socketDir}'`, "fsync = off", "max_connections = 200", ""].join("\n");
  writeFileSync(path.join(dataDir, "postgresql.auto.conf"), config);
  ownByPostgres(path.join(dataDir, "postgresql.auto.conf"));
  const start = () => runTool(binDir, "pg_ctl", ["-D", dataDir, "-l", path.join(base, "server.log"), "-w", "-t", "30", "start"]);
  const stopWith = (mode: "immediate" | "fast") => {
    try {
      runTool(binDir, "pg_ctl", ["-D", dataDir, "-m", mode, "-w", "stop"]);
    } catch {
      // Already stopped.
    }
  };
  start();
  return {
    port,
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    dataDir,
    kill: () => stopWith("immediate"),
    stop: () => stopWith("fast"),
    start,
    remove() {
      stopWith("immediate");
      rmSync(base, { recursive: true, force: true });
    },
  };
}
