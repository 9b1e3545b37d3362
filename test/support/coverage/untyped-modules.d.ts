// Minimal typings for the coverage libraries @vitest/coverage-v8 installs, covering only what the
// coverage runner (test/support/coverage/) calls; none of them ship their own declarations.

declare module "@bcoe/v8-coverage" {
  import type { Profiler } from "node:inspector";
  /** One process's V8 coverage, as NODE_V8_COVERAGE writes it. */
  export interface ProcessCov {
    result: Profiler.ScriptCoverage[];
  }
  /** Sums the counts of several processes' coverage, script by script. */
  export function mergeProcessCovs(processCovs: readonly ProcessCov[]): ProcessCov;
}

declare module "istanbul-lib-coverage" {
  /** The summary figures of one metric. */
  export interface Totals {
    total: number;
    covered: number;
    skipped: number;
    pct: number;
  }
  export interface CoverageSummary {
    readonly lines: Totals;
    readonly statements: Totals;
    readonly functions: Totals;
    readonly branches: Totals;
  }
  export interface FileCoverage {
    toSummary(): CoverageSummary;
  }
  export interface CoverageMap {
    files(): string[];
    fileCoverageFor(file: string): FileCoverage;
    getCoverageSummary(): CoverageSummary;
  }
  const libCoverage: { createCoverageMap(data: Readonly<Record<string, object>>): CoverageMap };
  export default libCoverage;
}

declare module "istanbul-lib-report" {
  import type { CoverageMap } from "istanbul-lib-coverage";
  export interface Context {
    readonly dir: string;
  }
  const libReport: { createContext(options: { dir: string; coverageMap: CoverageMap; defaultSummarizer?: "flat" | "nested" | "pkg" }): Context };
  export default libReport;
}

declare module "istanbul-reports" {
  import type { Context } from "istanbul-lib-report";
  export interface Report {
    execute(context: Context): void;
  }
  const reports: { create(name: "text" | "text-summary" | "json" | "json-summary", options?: { file?: string; skipFull?: boolean; projectRoot?: string }): Report };
  export default reports;
}
