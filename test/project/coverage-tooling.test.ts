import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { convertChildCoverage } from "../support/coverage/convert-children";
import { copiedFrom } from "../support/coverage/copies";
import type { FileCoverageData } from "../support/coverage/coverage-data";
import { creditHits, emptyTally } from "../support/coverage/credit";
import { COVERAGE_CHILDREN_ENV, keptRootsFile } from "../support/coverage/kept-roots";
import { compactRawCoverage } from "../support/coverage/raw-coverage";
import { createModuleRoot } from "../support/module-root";
import { createTempRoot, REPO_ROOT } from "../support/temp-root";

const range = (line: number, column: number, endLine: number, endColumn: number | null) => ({ start: { line, column }, end: { line: endLine, column: endColumn } });

/** One file's coverage: a statement on lines 2 and 3, a function declared on line 1, one if-branch. */
function fileCoverage(file: string, hits: { s: [number, number]; f: number; b: [number, number] }, endColumn: number | null): FileCoverageData {
  return {
    path: file,
    statementMap: { "0": range(2, 2, 2, endColumn), "1": range(3, 2, 3, endColumn) },
    fnMap: { "0": { name: "run", decl: range(1, 9, 1, 12), loc: range(1, 20, 4, 1), line: 1 } },
    branchMap: { "0": { loc: range(3, 2, 3, endColumn), type: "if", locations: [range(3, 2, 3, endColumn), range(3, 2, 3, endColumn)], line: 3 } },
    s: { "0": hits.s[0], "1": hits.s[1] },
    f: { "0": hits.f },
    b: { "0": [...hits.b] },
  };
}

describe("crediting coverage measured elsewhere", () => {
  it("adds hits to the base's items with the same place, and never adds items of its own", () => {
    const file = "/repo/framework/x.ts";
    const base = { [file]: fileCoverage(file, { s: [0, 1], f: 0, b: [0, 1] }, null) };
    const extra = fileCoverage(file, { s: [3, 0], f: 2, b: [4, 0] }, 14);
    // An item only the extra measurement has (tsc's `exports.run = run`): left out.
    extra.statementMap["2"] = range(1, 0, 1, 20);
    extra.s["2"] = 5;
    const tally = emptyTally();
    creditHits(base, file, extra, tally);
    expect(base[file]?.s).toEqual({ "0": 3, "1": 1 });
    expect(base[file]?.f).toEqual({ "0": 2 });
    expect(base[file]?.b).toEqual({ "0": [4, 1] });
    expect(Object.keys(base[file]?.statementMap ?? {})).toEqual(["0", "1"]);
    expect(tally).toEqual({ matched: 3, unmatched: 1, unknownFiles: 0 });
  });

  it("leaves out files the base does not list", () => {
    const base = {};
    const tally = emptyTally();
    creditHits(base, "/repo/framework/y.ts", fileCoverage("/repo/framework/y.ts", { s: [1, 1], f: 1, b: [1, 1] }, null), tally);
    expect(base).toEqual({});
    expect(tally.unknownFiles).toBe(1);
  });
});

describe("module copies under .tmp/", () => {
  const roots: string[] = [];
  // This file may itself run under the coverage runner, which set the variable: put it back.
  const runnerValue = process.env[COVERAGE_CHILDREN_ENV];
  afterEach(() => {
    for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
    if (runnerValue === undefined) delete process.env[COVERAGE_CHILDREN_ENV];
    else process.env[COVERAGE_CHILDREN_ENV] = runnerValue;
  });

  it("are credited to the file they copy while byte-identical, and not once a test changed them", () => {
    const temp = createTempRoot("coverage-copy");
    roots.push(temp.root);
    temp.copyModule("docs");
    const copy = path.join(temp.root, "modules", "docs", "module.ts");
    expect(copiedFrom(copy, REPO_ROOT, "")).toBe(path.join(REPO_ROOT, "modules", "docs", "module.ts"));
    writeFileSync(copy, `${readFileSync(copy, "utf8")}\n// changed by a test\n`);
    expect(copiedFrom(copy, REPO_ROOT, "")).toBeUndefined();
    expect(copiedFrom(path.join(temp.root, "modules", "docs", "no-such-file.ts"), REPO_ROOT, "")).toBeUndefined();
    expect(copiedFrom(path.join(REPO_ROOT, "modules", "docs", "module.ts"), REPO_ROOT, "")).toBeUndefined();
  });

  it("under the coverage runner, removing a root keeps only its byte-identical module copies and lists it; a root of links goes entirely", () => {
    const work = mkdtempSync(path.join(REPO_ROOT, ".tmp", "coverage-runner-"));
    roots.push(work);
    const rawDir = path.join(work, "raw");
    process.env[COVERAGE_CHILDREN_ENV] = rawDir;
    const copied = createTempRoot("coverage-kept");
    roots.push(copied.root);
    copied.copyModule("docs");
    copied.writeModuleFile("fixture", "db-models.ts", "export const broken = ;\n");
    writeFileSync(path.join(copied.root, "modules", "docs", "module.ts"), "// changed by the test\n");
    mkdirSync(copied.dataDir, { recursive: true });
    writeFileSync(path.join(copied.dataDir, "docs.db"), "not really a database");
    copied.remove();
    expect(existsSync(path.join(copied.root, "modules", "docs", "db-models.ts"))).toBe(true);
    // Files the test wrote or changed are fixtures, not copies: gone.
    expect(existsSync(path.join(copied.root, "modules", "docs", "module.ts"))).toBe(false);
    expect(existsSync(path.join(copied.root, "modules", "fixture"))).toBe(false);
    expect(existsSync(copied.dataDir)).toBe(false);
    const linked = createModuleRoot("coverage-linked", ["docs"]);
    roots.push(linked.root);
    linked.remove();
    expect(existsSync(linked.root)).toBe(false);
    expect(existsSync(path.join(REPO_ROOT, "modules", "docs", "module.ts"))).toBe(true);
    expect(readFileSync(keptRootsFile(rawDir), "utf8")).toBe(`${copied.root}\n`);
  });
});

describe("a child process's V8 coverage of dist/", () => {
  it("maps back to the TypeScript sources: what `moduledb --help` ran is covered, a command's action is not", async () => {
    const work = mkdtempSync(path.join(REPO_ROOT, ".tmp", "coverage-child-"));
    try {
      const raw = path.join(work, "raw");
      const run = spawnSync(process.execPath, [path.join(REPO_ROOT, "bin", "moduledb.js"), "--help"], { env: { ...process.env, NODE_V8_COVERAGE: raw }, encoding: "utf8" });
      expect(run.stdout).toContain("Usage: moduledb");
      const dist = path.join(REPO_ROOT, "dist") + path.sep;
      expect(compactRawCoverage(raw, path.join(work, "compact"), (file) => file.startsWith(dist) && !file.includes("node_modules"))).toBe(1);
      const child = await convertChildCoverage(path.join(work, "compact"), REPO_ROOT);
      expect(child.processes).toBe(1);
      const main = child.data[path.join(REPO_ROOT, "framework", "cli", "main.ts")];
      const buildProgram = Object.entries(main?.fnMap ?? {}).find(([, fn]) => fn.name === "buildProgram");
      expect(buildProgram).toBeDefined();
      expect(main?.f[buildProgram?.[0] ?? ""]).toBe(1);
      expect(Object.keys(child.data).every((file) => file.endsWith(".ts") && !file.startsWith(dist))).toBe(true);
      const backup = child.data[path.join(REPO_ROOT, "framework", "backup", "create-backup.ts")];
      const createBackup = Object.entries(backup?.fnMap ?? {}).find(([, fn]) => fn.name === "createBackup");
      expect(createBackup).toBeDefined();
      expect(backup?.f[createBackup?.[0] ?? ""]).toBe(0);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
