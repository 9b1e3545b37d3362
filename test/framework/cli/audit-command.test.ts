import os from "node:os";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LIBRARY_V1, writeLibraryModels } from "../../support/library-module";
import { runCli } from "../../support/run-cli";
import { auditRows } from "../../support/audit-module";
import { createTempRoot, type TempRoot } from "../../support/temp-root";

describe("moduledb audit <db> (real child processes, real files)", () => {
  let temp: TempRoot;
  let paths: string[];
  const user = `cli:${os.userInfo().username}`;

  beforeAll(async () => {
    temp = createTempRoot("cli-audit", "compiled");
    writeLibraryModels(temp, LIBRARY_V1);
    paths = ["--root", temp.root, "--data", temp.dataDir];
    const file = path.join(temp.root, "books.ndjson");
    writeFileSync(file, ["Emma", "Persuasion", "Sanditon"].map((title) => JSON.stringify({ title, pages: title.length })).join("\n"));
    const imported = await runCli(["import", "library", "books", file, ...paths]);
    expect(imported.code, imported.stderr).toBe(0);
  }, 120_000);
  afterAll(() => temp.remove());

  it("an import through the CLI is audited as cli:<user>, one row per record", () => {
    expect(auditRows(path.join(temp.dataDir, "library.db")).map((row) => [row.actor, row.operation, row.record_key])).toEqual(["1", "2", "3"].map((key) => [user, "import", key]));
  });

  it("--json prints the page newest first; --table and --limit narrow it", async () => {
    const all = await runCli(["audit", "library", "--json", ...paths]);
    expect(all.code, all.stderr).toBe(0);
    const page = JSON.parse(all.stdout);
    expect(page).toMatchObject({ database: "library", page: 1, total_records: 3, total_pages: 1 });
    expect(page.entries.map((entry: { record_key: string }) => entry.record_key)).toEqual(["3", "2", "1"]);
    expect(page.entries[0]).toMatchObject({ actor: user, table: "books", operation: "import", changed_columns: ["title", "pages"], values: { title: "Sanditon", pages: 8 }, request_id: null });
    const limited = JSON.parse((await runCli(["audit", "library", "--table", "books", "--limit", "2", "--page", "2", "--json", ...paths])).stdout);
    expect(limited).toMatchObject({ page: 2, page_size: 2, total_records: 3, total_pages: 2 });
    expect(limited.entries.map((entry: { record_key: string }) => entry.record_key)).toEqual(["1"]);
    expect(JSON.parse((await runCli(["audit", "library", "--table", "nothing", "--json", ...paths])).stdout).entries).toEqual([]);
  }, 120_000);

  it("prints a table by default; an unknown database fails, a bad option is a usage error", async () => {
    const text = await runCli(["audit", "library", ...paths]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^at\s+actor\s+table\s+operation\s+record\s+changed columns\s+request/);
    expect(text.stdout).toContain("title,pages");
    expect(text.stdout).toContain("Page 1 of 1 (3 row(s)).");
    const missing = await runCli(["audit", "nowhere", ...paths]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("DATABASE_NOT_FOUND");
    expect((await runCli(["audit", "library", "--from", "yesterday", ...paths])).code).toBe(2);
  }, 120_000);
});
