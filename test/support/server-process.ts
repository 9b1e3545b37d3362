import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { REPO_ROOT } from "./temp-root";

/** `npm start`'s program, as built by the test run's global setup. */
export const MAIN_SCRIPT = path.join(REPO_ROOT, "dist", "framework", "main.js");

/** A `node dist/framework/main.js` child process serving the API. */
export interface ServerProcess {
  readonly child: ChildProcess;
  /** `http://127.0.0.1:<port>` it reported. */
  readonly url: string;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  /** Sends `signal` and resolves with the exit code once the process has ended. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Runs `main.js` with `env` added to this environment (and `nodeArgs` before the script) and collects its output. */
export function runMain(env: Record<string, string>, nodeArgs: readonly string[] = []): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [...nodeArgs, MAIN_SCRIPT], { cwd: REPO_ROOT, env: { ...process.env, LOG_LEVEL: "warn", ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, output: () => output, exited };
}

/**
 * Starts a server process on a free port (PORT=0) and waits for its "listening on" line.
 * Rejects with its output if it exits or stays silent for `timeoutMs`.
 */
export async function startServerProcess(env: Record<string, string>, timeoutMs = 30_000, nodeArgs: readonly string[] = []): Promise<ServerProcess> {
  const run = runMain({ PORT: "0", ...env }, nodeArgs);
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start within ${timeoutMs} ms:\n${run.output()}`)), timeoutMs);
    const check = () => {
      const match = /listening on (http:\/\/[^\s)]+)/.exec(run.output());
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    run.child.stdout?.on("data", check);
    void run.exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening:\n${run.output()}`));
    });
  });
  return {
    child: run.child,
    url,
    output: run.output,
    async stop(signal = "SIGTERM") {
      if (run.child.exitCode === null) run.child.kill(signal);
      return run.exited;
    },
  };
}
