import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

/** The console's own browser modules and stylesheet, kept in the top-level `console/` folder. */
const CONSOLE_FILE = /^[a-z][a-z0-9-]*\.(?:js|css)$/;

/**
 * The `console/` folder: next to `framework/` in the source tree (tests, tsx) and one level above
 * `dist/` when the compiled server runs (`npm start`), since it is plain browser code tsc does not copy.
 */
export function consoleFolder(): string {
  const candidates = [path.resolve(__dirname, "..", "..", "..", "console"), path.resolve(__dirname, "..", "..", "..", "..", "console")];
  const found = candidates.find((candidate) => existsSync(path.join(candidate, "app.js")));
  if (found === undefined) throw new Error(`The console's files were not found (looked in ${candidates.join(", ")}).`);
  return found;
}

/** The ES module builds of the installed packages the console imports, keyed by the name it imports. */
export function vendorModules(): Readonly<Record<string, string>> {
  const preact = path.dirname(require.resolve("preact"));
  const hooks = path.dirname(require.resolve("preact/hooks"));
  const htm = path.dirname(require.resolve("htm"));
  return {
    "preact.mjs": path.join(preact, "preact.mjs"),
    "hooks.mjs": path.join(hooks, "hooks.mjs"),
    "htm.mjs": path.join(htm, "htm.mjs"),
  };
}

/** A file of `console/` by name, or undefined for any other name (no paths, no dot files). */
export function readConsoleFile(folder: string, name: string): string | undefined {
  if (!CONSOLE_FILE.test(name)) return undefined;
  const file = path.join(folder, name);
  return existsSync(file) ? readFileSync(file, "utf8") : undefined;
}
