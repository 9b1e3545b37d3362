import { cpSync } from "node:fs";
import path from "node:path";
import { runNode, type ProcessOutcome } from "./run-process";
import { createTempRoot, REPO_ROOT, type TempRoot } from "./temp-root";

/** How a CLI run ended. */
export type CliRun = ProcessOutcome;

/** Runs the real `moduledb` bin (`node bin/moduledb.js ...`) as a child process. */
export function runCli(args: readonly string[], env: Readonly<Record<string, string>> = {}): Promise<CliRun> {
  return runNode(path.join(REPO_ROOT, "bin", "moduledb.js"), args, env, REPO_ROOT);
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
