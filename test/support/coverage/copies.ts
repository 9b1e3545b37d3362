import { readFileSync } from "node:fs";
import path from "node:path";

/**
 * The repository file a file under `.tmp/<root>/modules/…` was copied from, when it is a
 * byte-identical copy of `<repo>/<sourceDir>/modules/…` (`sourceDir` "" for the TypeScript modules,
 * "dist" for the compiled ones the CLI tests copy); undefined for anything else: files a test wrote
 * or changed, which are fixtures, not the repository's code.
 */
export function copiedFrom(file: string, repoRoot: string, sourceDir: "" | "dist"): string | undefined {
  const relative = path.relative(path.join(repoRoot, ".tmp"), file);
  const match = /^[^/]+\/modules\/(.+)$/.exec(relative.split(path.sep).join("/"));
  if (match?.[1] === undefined || relative.startsWith("..")) return undefined;
  const original = path.join(repoRoot, sourceDir, "modules", match[1]);
  try {
    return readFileSync(file).equals(readFileSync(original)) ? original : undefined;
  } catch {
    return undefined;
  }
}
