import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import path from "node:path";

/**
 * Runs once before the suite: compiles the project so tests that start real OS processes
 * (writers, servers, the CLI) run the same build users run.
 */
export default function setup(): void {
  const root = path.resolve(__dirname, "..", "..");
  mkdirSync(path.join(root, ".tmp"), { recursive: true });
  execFileSync(process.execPath, [path.join(root, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.build.json"], { cwd: root, stdio: "inherit" });
}
