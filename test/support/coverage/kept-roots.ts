import { appendFileSync, lstatSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import path from "node:path";
import { copiedFrom } from "./copies";

/** Set (to the raw coverage folder) by the coverage runner for the test processes it starts. */
export const COVERAGE_CHILDREN_ENV = "MODULEDB_COVERAGE_CHILDREN";

/** Where the runner lists the temporary roots tests kept for it. */
export function keptRootsFile(rawDir: string): string {
  return path.join(path.dirname(rawDir), "kept-roots.txt");
}

/**
 * Removes a temporary root; under the coverage runner, keeps the files of its `modules/` that are byte-identical
 * copies of the repository's modules (source or compiled) and
 * notes the root for the runner, which credits copies of real modules found there to the files they
 * copy once the run is over, then removes the rest. Databases and all else go right away.
 */
export function removeTempRoot(root: string, repoRoot: string): void {
  const rawDir = process.env[COVERAGE_CHILDREN_ENV];
  if (rawDir === undefined || rawDir === "") {
    rmSync(root, { recursive: true, force: true });
    return;
  }
  const modules = path.join(root, "modules");
  // Links to the repository's own modules were measured under their real paths already.
  for (const entry of list(modules)) if (lstatSync(path.join(modules, entry)).isSymbolicLink()) rmSync(path.join(modules, entry));
  // Fixture files (written or changed by the test) go now: they credit nothing, and some do not even parse.
  dropNonCopies(modules, repoRoot);
  if (list(modules).length === 0) {
    rmSync(root, { recursive: true, force: true });
    return;
  }
  // `framework` is a link the module files import through; Vitest transforms the kept copies again.
  for (const entry of list(root)) if (entry !== "modules" && entry !== "framework") rmSync(path.join(root, entry), { recursive: true, force: true });
  mkdirSync(path.dirname(keptRootsFile(rawDir)), { recursive: true });
  appendFileSync(keptRootsFile(rawDir), `${root}\n`);
}

function dropNonCopies(dir: string, repoRoot: string): void {
  for (const entry of list(dir)) {
    const file = path.join(dir, entry);
    if (lstatSync(file).isDirectory()) {
      dropNonCopies(file, repoRoot);
      if (list(file).length === 0) rmSync(file, { recursive: true, force: true });
    } else if (copiedFrom(file, repoRoot, "") === undefined && copiedFrom(file, repoRoot, "dist") === undefined) rmSync(file, { force: true });
  }
}

function list(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
