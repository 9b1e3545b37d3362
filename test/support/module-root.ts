import { symlinkSync } from "node:fs";
import path from "node:path";
import { createTempRoot, REPO_ROOT, type TempRoot } from "./temp-root";

/**
 * A temporary root whose `modules/<name>` entries link to real modules of this repository (next to
 * the `framework` link every temp root has, as module files import the framework by relative path). Links rather than
 * copies, so the module files the framework discovers resolve to the very files the test imports:
 * one module instance, one set of entity and service classes, and the container resolves the
 * classes the test holds. Databases still live in the root's own `data/` folder.
 */
export function createModuleRoot(prefix: string, modules: readonly string[]): TempRoot {
  // createTempRoot already links `framework`.
  const temp = createTempRoot(prefix);
  for (const module of modules) symlinkSync(path.join(REPO_ROOT, "modules", module), path.join(temp.root, "modules", module), "dir");
  return temp;
}
