import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { postgresServerAvailability, startPostgresServer, type PostgresServerHandle } from "./postgres-server";

/**
 * Runs once before the suite: compiles the project so tests that start real OS processes
 * (writers, servers, the CLI) run the same build users run, and provides the PostgreSQL server
 * the suite shares: `MODULEDB_TEST_POSTGRES_URL` when set (CI), else a private cluster started here
 * when PostgreSQL is installed, else none (those suites are then skipped visibly).
 */
export default async function setup(project: TestProject): Promise<() => void> {
  const root = path.resolve(__dirname, "..", "..");
  mkdirSync(path.join(root, ".tmp"), { recursive: true });
  execFileSync(process.execPath, [path.join(root, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.build.json"], { cwd: root, stdio: "inherit" });

  let server: PostgresServerHandle | undefined;
  const external = process.env.MODULEDB_TEST_POSTGRES_URL?.trim();
  if (external !== undefined && external !== "") {
    project.provide("postgresUrl", external);
    project.provide("postgresUnavailable", "");
  } else {
    const availability = postgresServerAvailability();
    if (availability.available) {
      server = await startPostgresServer();
      project.provide("postgresUrl", server.url);
      project.provide("postgresUnavailable", "");
    } else {
      project.provide("postgresUrl", "");
      project.provide("postgresUnavailable", availability.reason);
    }
  }
  return () => server?.remove();
}
