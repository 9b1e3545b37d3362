import { symlinkSync } from "node:fs";
import path from "node:path";
import { createTempRoot, REPO_ROOT, type TempRoot } from "./temp-root";

/**
 * A temporary root holding copies of real modules of this repository. Module files import the
 * framework by relative path (`../../framework/...`), so the root also gets a `framework` link to
 * the repository's framework: the copies then load the very same framework instance the test does.
 */
export function createModuleRoot(prefix: string, modules: readonly string[]): TempRoot {
  const temp = createTempRoot(prefix);
  symlinkSync(path.join(REPO_ROOT, "framework"), path.join(temp.root, "framework"), "dir");
  for (const module of modules) temp.copyModule(module);
  return temp;
}
