import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { mergeProcessCovs, type ProcessCov } from "@bcoe/v8-coverage";
import { copiedFrom } from "./copies";
import type { CoverageMapData, FileCoverageData } from "./coverage-data";
import { readCompacted } from "./raw-coverage";

/** What converting the child processes' coverage found. */
export interface ChildCoverage {
  /** Istanbul coverage of the TypeScript sources the children's compiled scripts map back to. */
  readonly data: CoverageMapData;
  /** How many child processes wrote coverage. */
  readonly processes: number;
  /** Compiled scripts converted (after crediting `.tmp/` copies to `dist/`). */
  readonly scripts: number;
  /** Scripts under `.tmp/` that are not byte-identical copies of `dist/` files (test fixtures), left out. */
  readonly fixtures: number;
}

/**
 * Maps the V8 coverage child processes wrote (compacted into `compactDir`) back to the TypeScript
 * sources: the children run tsc's output in `dist/`, whose source maps lead to `framework/` and
 * `modules/`. Compiled module copies under `.tmp/` count for the `dist/` file they are identical to.
 */
export async function convertChildCoverage(compactDir: string, repoRoot: string): Promise<ChildCoverage> {
  // ESM-only packages; this file compiles to CommonJS.
  const { default: convert } = await import("ast-v8-to-istanbul");
  const { parseAstAsync } = await import("vitest/node");
  const dist = path.join(repoRoot, "dist");
  const fixtureUrls = new Set<string>();
  let merged: ProcessCov = { result: [] };
  let processes = 0;
  for (const processCov of readCompacted(compactDir)) {
    processes += 1;
    const result = [];
    for (const script of processCov.result) {
      const file = fileURLToPath(script.url);
      const compiled = file.startsWith(dist + path.sep) ? file : copiedFrom(file, repoRoot, "dist");
      if (compiled === undefined) {
        fixtureUrls.add(script.url);
        continue;
      }
      result.push({ ...script, url: pathToFileURL(compiled).href });
    }
    merged = mergeProcessCovs([merged, { result }]);
  }

  const data: CoverageMapData = {};
  let scripts = 0;
  for (const script of merged.result) {
    const file = fileURLToPath(script.url);
    if (!existsSync(`${file}.map`)) continue;
    const code = readFileSync(file, "utf8");
    const map = JSON.parse(readFileSync(`${file}.map`, "utf8")) as { version: number; sources: string[]; mappings: string; names: string[] };
    map.sources = map.sources.map((source) => new URL(source, script.url).href);
    const converted = await convert({ code, sourceMap: map, ast: parseAstAsync(code), coverage: { url: script.url, functions: script.functions } });
    scripts += 1;
    for (const [source, coverage] of Object.entries(converted)) {
      const sourcePath = source.startsWith("file://") ? fileURLToPath(source) : source;
      const inScope = ["framework", "modules"].some((folder) => sourcePath.startsWith(path.join(repoRoot, folder) + path.sep));
      if (inScope && sourcePath.endsWith(".ts")) data[sourcePath] = { ...(coverage as FileCoverageData), path: sourcePath };
    }
  }
  return { data, processes, scripts, fixtures: fixtureUrls.size };
}
