import { mkdirSync, mkdtempSync, writeFileSync, cpSync, symlinkSync } from "node:fs";
import path from "node:path";
import { removeTempRoot } from "./coverage/kept-roots";

/** The repository root. */
export const REPO_ROOT = path.resolve(__dirname, "..", "..");

/**
 * A throw-away project root under `.tmp/` (inside the repository, so module files written there
 * resolve `typeorm` and the framework from the repository's node_modules).
 */
export interface TempRoot {
  readonly root: string;
  readonly dataDir: string;
  /** Writes `modules/<name>/<file>` with the given source. */
  writeModuleFile(moduleName: string, file: string, source: string): string;
  /** Copies a real module of this repository into the temporary root. */
  copyModule(moduleName: string): void;
  remove(): void;
}

/**
 * Which framework the root's `framework` link points at: the TypeScript sources (for module files
 * the test runner imports) or the compiled build in `dist/` (for compiled modules that child
 * processes running `node dist/...` load).
 */
export type FrameworkFlavour = "source" | "compiled";

/** Creates a fresh temporary root with an empty `modules/` folder. */
export function createTempRoot(prefix = "root", framework: FrameworkFlavour = "source"): TempRoot {
  const base = path.join(REPO_ROOT, ".tmp");
  mkdirSync(base, { recursive: true });
  const root = mkdtempSync(path.join(base, `${prefix}-`));
  mkdirSync(path.join(root, "modules"), { recursive: true });
  // Module files import the framework as `../../framework`, as they do in the repository; the
  // link keeps that path valid here, and the test runner resolves it to the same loaded modules.
  const target = framework === "source" ? path.join(REPO_ROOT, "framework") : path.join(REPO_ROOT, "dist", "framework");
  symlinkSync(target, path.join(root, "framework"), "dir");
  return {
    root,
    dataDir: path.join(root, "data"),
    writeModuleFile(moduleName, file, source) {
      const target = path.join(root, "modules", moduleName, file);
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, source);
      return target;
    },
    copyModule(moduleName) {
      cpSync(path.join(REPO_ROOT, "modules", moduleName), path.join(root, "modules", moduleName), { recursive: true });
    },
    remove() {
      removeTempRoot(root, REPO_ROOT);
    },
  };
}
