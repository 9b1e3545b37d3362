import { spawn } from "node:child_process";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import libCoverage from "istanbul-lib-coverage";
import libReport from "istanbul-lib-report";
import reports from "istanbul-reports";
import { copiedFrom } from "./copies";
import type { CoverageMapData } from "./coverage-data";
import { convertChildCoverage } from "./convert-children";
import { creditHits, emptyTally } from "./credit";
import { compactRawCoverage } from "./raw-coverage";
import { COVERAGE_CHILDREN_ENV, keptRootsFile } from "./kept-roots";

/**
 * `npm run coverage [-- vitest args]`: runs the suite under Vitest's V8 coverage, with every child
 * process the tests start writing its own V8 coverage, then credits to `framework/` and `modules/`
 * what Vitest alone cannot see: the children's hits (mapped from `dist/` through tsc's source
 * maps) and hits on byte-identical module copies the tests boot from `.tmp/`. Prints the merged
 * summary and writes `.tmp/coverage/` (coverage-summary.json, coverage-final.json, files.txt).
 * Exits with Vitest's exit code.
 */
/** The repository: the nearest folder up with a package.json (this file runs from dist/test/support/coverage/). */
const REPO_ROOT = ((): string => {
  let dir = __dirname;
  while (!existsSync(path.join(dir, "package.json")) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
})();

async function main(): Promise<number> {
  const reportsDir = path.join(REPO_ROOT, ".tmp", "coverage");
  const work = path.join(REPO_ROOT, ".tmp", "coverage-children");
  const rawDir = path.join(work, "raw");
  const compactDir = path.join(work, "compact");
  rmSync(work, { recursive: true, force: true });
  const wanted = (file: string) => !file.includes(`${path.sep}node_modules${path.sep}`) && [path.join(REPO_ROOT, "dist"), path.join(REPO_ROOT, ".tmp")].some((dir) => file.startsWith(dir + path.sep));

  const vitest = path.join(REPO_ROOT, "node_modules", "vitest", "vitest.mjs");
  // The json reporter gives the per-file data to merge into; copies under .tmp/ are measured too,
  // to be credited to the files they copy (then dropped). Children writing coverage run slower
  // (a CLI test runs a dozen of them), hence a longer default test timeout than vitest.config's.
  const args = [vitest, "run", "--coverage", "--coverage.reporter=json", "--coverage.include=framework/**/*.ts", "--coverage.include=modules/**/*.ts", "--coverage.include=.tmp/*/modules/**/*.ts", "--testTimeout=180000", ...process.argv.slice(2)];
  const child = spawn(process.execPath, args, { cwd: REPO_ROOT, stdio: "inherit", env: { ...process.env, [COVERAGE_CHILDREN_ENV]: rawDir } });
  // Raw files are ~10 MB per child; shrink them as they come rather than hold gigabytes.
  const timer = setInterval(() => compactRawCoverage(rawDir, compactDir, wanted), 10_000);
  const code = await new Promise<number>((resolve) => child.on("close", (exit) => resolve(exit ?? 1)));
  clearInterval(timer);
  compactRawCoverage(rawDir, compactDir, wanted);

  const base = JSON.parse(readFileSync(path.join(reportsDir, "coverage-final.json"), "utf8")) as CoverageMapData;
  const inProcess = libCoverage.createCoverageMap(Object.fromEntries(Object.entries(base).filter(([file]) => !file.startsWith(path.join(REPO_ROOT, ".tmp") + path.sep)))).getCoverageSummary();
  const copies = emptyTally();
  let copiedFiles = 0;
  for (const [file, coverage] of Object.entries(base)) {
    if (!file.startsWith(path.join(REPO_ROOT, ".tmp") + path.sep)) continue;
    delete base[file];
    const original = copiedFrom(file, REPO_ROOT, "");
    if (original === undefined) continue;
    creditHits(base, original, coverage, copies);
    copiedFiles += 1;
  }
  const children = await convertChildCoverage(compactDir, REPO_ROOT);
  const fromChildren = emptyTally();
  for (const [file, coverage] of Object.entries(children.data)) creditHits(base, file, coverage, fromChildren);
  removeKeptRoots();

  const coverageMap = libCoverage.createCoverageMap(base);
  const context = libReport.createContext({ dir: reportsDir, coverageMap });
  for (const name of ["json", "json-summary"] as const) reports.create(name).execute(context);
  reports.create("text", { file: "files.txt", projectRoot: REPO_ROOT }).execute(context);
  console.log(`\nChild processes: ${children.processes} wrote coverage; ${children.scripts} compiled scripts mapped to sources; ${children.fixtures} .tmp scripts were test fixtures (left out).`);
  console.log(`Credited from children: ${fromChildren.matched} items (${fromChildren.unmatched} had no counterpart in the report, left out).`);
  console.log(`Credited from ${copiedFiles} .tmp copies of module files: ${copies.matched} items (${copies.unmatched} without counterpart).`);
  console.log(`Vitest alone (test processes only): lines ${percent(inProcess.lines)}, statements ${percent(inProcess.statements)}, functions ${percent(inProcess.functions)}, branches ${percent(inProcess.branches)}. With the credits:`);
  reports.create("text-summary").execute(context);
  console.log(`Per-file figures: ${path.relative(REPO_ROOT, path.join(reportsDir, "files.txt"))}`);
  return code;
}

function percent(totals: { covered: number; total: number; pct: number }): string {
  return `${totals.pct} % (${totals.covered}/${totals.total})`;
}

/** Deletes the temporary roots tests left for this run (see kept-roots.ts). */
function removeKeptRoots(): void {
  let roots: string[] = [];
  try {
    roots = readFileSync(keptRootsFile(path.join(REPO_ROOT, ".tmp", "coverage-children", "raw")), "utf8").split("\n").filter((line) => line !== "");
  } catch {
    return;
  }
  for (const root of roots) rmSync(root, { recursive: true, force: true });
  writeFileSync(keptRootsFile(path.join(REPO_ROOT, ".tmp", "coverage-children", "raw")), "");
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
