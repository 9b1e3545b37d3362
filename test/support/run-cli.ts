import { spawn } from "node:child_process";
import { cpSync } from "node:fs";
import path from "node:path";
import { createTempRoot, REPO_ROOT, type TempRoot } from "./temp-root";

/** How a CLI run ended. */
export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the real `moduledb` bin (`node bin/moduledb.js ...`) as a child process. */
export function runCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(REPO_ROOT, "bin", "moduledb.js"), ...args], { cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * A temporary root holding compiled (`.js`) copies of real modules, as the CLI (which runs from
 * `dist/`) discovers them. Tests write hand-written `.js` migrations into it.
 */
export function createCompiledRoot(prefix: string, modules: readonly string[]): TempRoot {
  // Compiled module files import `../../framework`; here that must be the compiled framework the CLI runs.
  const temp = createTempRoot(prefix, "compiled");
  for (const module of modules) {
    cpSync(path.join(REPO_ROOT, "dist", "modules", module), path.join(temp.root, "modules", module), { recursive: true, filter: (source) => !source.endsWith(".map") && !source.endsWith(".d.ts") });
  }
  return temp;
}
