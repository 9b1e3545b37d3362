import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LIBRARY_V1, writeLibraryModels } from "../../support/library-module";
import { runCli } from "../../support/run-cli";
import { snapshotDatabase } from "../../support/http-harness";
import { createTempRoot, type TempRoot } from "../../support/temp-root";

describe("moduledb export / import (real child processes, real files)", () => {
  let temp: TempRoot;
  let paths: string[];
  beforeAll(() => {
    temp = createTempRoot("cli-transfer", "compiled");
    writeLibraryModels(temp, LIBRARY_V1);
    paths = ["--root", temp.root, "--data", temp.dataDir];
  });
  afterAll(() => temp.remove());

  it("import loads a CSV file (all or nothing; --batch commits and reports), export writes it back filtered and sorted", async () => {
    const rows = Array.from({ length: 300 }, (_, i) => ({ title: i % 2 === 0 ? `even, "${i}"` : `odd ${i}`, pages: i % 3 === 0 ? null : i }));
    const csv = path.join(temp.root, "books.csv");
    writeFileSync(csv, `title,pages\n${rows.map((row) => `"${row.title.replace(/"/g, '""')}",${row.pages ?? ""}`).join("\n")}\n`);
    const imported = await runCli(["import", "library", "books", csv, "--json", ...paths]);
    expect(imported.code, imported.stderr).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({ imported: 300, batches: 1 });

    const exported = await runCli(["export", "library", "books", "--filter", '{"pages":{"gt":250}}', "--sort", "-pages", ...paths]);
    expect(exported.code, exported.stderr).toBe(0);
    const expected = rows.map((row, index) => ({ id: index + 1, ...row })).filter((row) => row.pages !== null && row.pages > 250).sort((a, b) => (b.pages ?? 0) - (a.pages ?? 0));
    expect(exported.stdout.trim().split("\n").map((line) => JSON.parse(line))).toEqual(expected);

    const bad = path.join(temp.root, "bad.ndjson");
    writeFileSync(bad, [...Array.from({ length: 10 }, (_, i) => JSON.stringify({ title: `t${i}` })), JSON.stringify({ title: 5 }), JSON.stringify({ title: "after" })].join("\n"));
    const file = path.join(temp.dataDir, "library.db");
    const before = snapshotDatabase(file);
    const refused = await runCli(["import", "library", "books", bad, ...paths]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("VALIDATION_FAILED");
    expect(snapshotDatabase(file)).toBe(before);
    const batched = await runCli(["import", "library", "books", bad, "--batch", "4", "--json", ...paths]);
    expect(batched.code).toBe(1);
    expect(`${batched.stdout}${batched.stderr}`).toMatch(/8 row\(s\) in 2 batch\(es\) were committed/);
  }, 120_000);
});
