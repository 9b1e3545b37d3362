import { afterAll, describe, expect, it } from "vitest";
import { call, startApi } from "../../support/http-harness";
import { createModuleRoot } from "../../support/module-root";
import { createCompiledRoot, runCli } from "../../support/run-cli";

describe("one table description: moduledb schema --json and GET …/schema agree", () => {
  const source = createModuleRoot("shared-schema", ["docs"]);
  const compiled = createCompiledRoot("shared-schema-cli", ["docs"]);
  afterAll(() => {
    source.remove();
    compiled.remove();
  });

  it("for every table of the docs module, unique constraints and checks included", async () => {
    const api = await startApi(source);
    const fromHttp = new Map<string, unknown>();
    let tables: string[] = [];
    try {
      tables = (await call(api.url, "GET", "/api/v1/db/databases/docs/tables")).body.tables as string[];
      for (const table of tables) {
        const response = await call(api.url, "GET", `/api/v1/db/databases/docs/tables/${table}/schema`);
        expect(response.status, response.text).toBe(200);
        fromHttp.set(table, response.body.schema_definition);
      }
    } finally {
      await api.stop();
    }
    expect(tables.length).toBeGreaterThan(3);
    for (const table of tables) {
      const printed = await runCli(["schema", "docs", table, "--json", "--root", compiled.root, "--data", source.dataDir]);
      expect(printed.code, printed.stderr).toBe(0);
      const { database, table: name, ...definition } = JSON.parse(printed.stdout) as Record<string, unknown>;
      expect([database, name]).toEqual(["docs", table]);
      expect(definition, table).toEqual(fromHttp.get(table));
    }
    const metadata = fromHttp.get("content_metadata") as { indexes: { name: string; unique: boolean }[]; checks: unknown[]; columns: { name: string; generated: boolean; generation_strategy: string | null }[] };
    expect(metadata.indexes).toContainEqual(expect.objectContaining({ name: "uq_content_metadata_content_hash", unique: true }));
    expect(metadata.checks.length).toBeGreaterThan(0);
    const mappings = fromHttp.get("technology_mappings") as { indexes: { name: string; columns: string[]; unique: boolean }[]; columns: { name: string; generated: boolean; generation_strategy: string | null }[] };
    expect(mappings.indexes).toContainEqual({ name: "uq_technology_mappings_source", columns: ["technology", "source_type", "owner", "repo", "base_url"], unique: true });
  });
});
