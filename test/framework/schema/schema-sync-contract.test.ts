import { afterAll, beforeAll, expect, it } from "vitest";
import { bootFramework, CrudService, type Framework } from "../../../framework";
import type { LiveTable } from "../../../framework/engines/engine";
import { describeEachEngine } from "../../support/each-engine";
import { createTempRoot, type TempRoot } from "../../support/temp-root";

/** The catalog module's db-models source from column and table declarations. */
function catalogModels(options: { itemColumns: string; itemIndexes?: string; extraTables?: string; withLegacy?: boolean }): string {
  const legacy = options.withLegacy === false ? "" : `@Entity({ name: "legacy" }) export class Legacy { @PrimaryGeneratedColumn() id: number; @Column({ type: "text" }) payload: string; }`;
  return `import { Column, Entity, Index, PrimaryGeneratedColumn } from "typeorm";
export const DATABASE_NAME = "catalog";
@Entity({ name: "items" })
${options.itemIndexes ?? `@Index("idx_items_title", ["title"])`}
export class Item {
  @PrimaryGeneratedColumn() id: number;
  ${options.itemColumns}
}
${legacy}
${options.extraTables ?? ""}
`;
}

const V1_COLUMNS = `@Column({ type: "varchar", length: 200 }) title: string;
  @Column({ type: "text", nullable: true }) note: string | null;`;

const SEED_ROWS = [
  { title: "alpha", note: "first" },
  { title: "beta", note: null },
  { title: "gamma", note: "third" },
];

const REFUSALS = [
  {
    change: "a renamed column",
    source: catalogModels({ itemColumns: `@Column({ type: "varchar", length: 200 }) name: string;\n  @Column({ type: "text", nullable: true }) note: string | null;`, itemIndexes: "" }),
    mentions: ["Column 'items.title' exists in the database but not in the entity (renamed to 'name'?)", "New column 'items.name' is NOT NULL without a default"],
  },
  { change: "a dropped column", source: catalogModels({ itemColumns: `@Column({ type: "varchar", length: 200 }) title: string;` }), mentions: ["Column 'items.note' exists in the database but not in the entity"] },
  { change: "a dropped table", source: catalogModels({ itemColumns: V1_COLUMNS, withLegacy: false }), mentions: ["Table 'legacy' exists in the database but no entity declares it"] },
  {
    change: "a changed type",
    source: catalogModels({ itemColumns: `@Column({ type: "integer" }) title: number;\n  @Column({ type: "text", nullable: true }) note: string | null;` }),
    mentions: ["Column 'items.title' changed: type"],
  },
];

/**
 * The automatic schema step, written once and run on each engine: boots of changed entities on the
 * same database (files in one data folder, or one PostgreSQL database) apply what only adds, and
 * refuse — leaving tables and rows exactly as they were — what could lose or rewrite data.
 */
describeEachEngine("schema sync across boots (contract)", (engine) => {
  const roots: TempRoot[] = [];
  let dataDir: string;

  /** Boots `source` as the catalog module on the shared database, runs `check`, shuts down. */
  async function withBoot<T>(source: string, check: (framework: Framework) => Promise<T>): Promise<T> {
    const temp = createTempRoot("schema-contract");
    roots.push(temp);
    temp.writeModuleFile("catalog", "db-models.ts", source);
    const framework = await bootFramework({ rootDir: temp.root, dataDir });
    try {
      return await check(framework);
    } finally {
      await framework.shutdown();
    }
  }

  /** The live schema and rows, as the engine reports them; read by a boot of the unchanged entities. */
  function liveState(): Promise<{ tables: LiveTable[]; rows: unknown[] }> {
    return withBoot(catalogModels({ itemColumns: V1_COLUMNS }), async (framework) => {
      const database = framework.databases.get("catalog")._unsafeUnwrap();
      const tables = (await database.inspect())._unsafeUnwrap().filter((table) => table.name !== "moduledb_migrations");
      const rows = (await framework.resolve(CrudService).list("catalog", "items", { sort: [{ column: "id", direction: "asc" }] }))._unsafeUnwrap().records;
      return { tables, rows };
    });
  }

  beforeAll(async () => {
    await engine.use(["catalog"]);
    const baseline = createTempRoot("schema-contract-data");
    roots.push(baseline);
    dataDir = baseline.dataDir;
    await withBoot(catalogModels({ itemColumns: V1_COLUMNS }), async (framework) => {
      const crud = framework.resolve(CrudService);
      expect((await crud.createMany("catalog", "items", SEED_ROWS)).isOk()).toBe(true);
      expect((await crud.create("catalog", "legacy", { payload: "keep me" })).isOk()).toBe(true);
    });
  });

  afterAll(async () => {
    for (const temp of roots) temp.remove();
    await engine.release();
  });

  it.each(REFUSALS)("refuses $change: tables and rows untouched, the message names each change", async ({ source, mentions }) => {
    const before = await liveState();
    await withBoot(source, async (framework) => {
      const entry = framework.databases.entry("catalog");
      expect(entry?.state).toBe("refused");
      const problems = entry?.problems.join("\n") ?? "";
      expect(problems).toContain("Database 'catalog' was refused");
      for (const text of mentions) expect(problems).toContain(text);
      expect((await framework.resolve(CrudService).count("catalog", "items"))._unsafeUnwrapErr().code).toBe("DATABASE_UNAVAILABLE");
    });
    expect(await liveState()).toEqual(before);
  });

  it("applies additive changes (table, nullable and defaulted columns, index) and keeps every row; the next boot finds nothing to do", async () => {
    const grown = catalogModels({
      itemColumns: `${V1_COLUMNS}
  @Column({ type: "integer", nullable: true }) rating: number | null;
  @Column({ type: "varchar", length: 20, default: "new" }) state: string;`,
      itemIndexes: `@Index("idx_items_title", ["title"]) @Index("idx_items_state", ["state"])`,
      extraTables: `@Entity({ name: "tags" }) @Index("idx_tags_label", ["label"]) export class Tag { @PrimaryGeneratedColumn() id: number; @Column({ type: "varchar", length: 50 }) label: string; }`,
    });
    await withBoot(grown, async (framework) => {
      const entry = framework.databases.entry("catalog");
      expect(entry?.problems).toEqual([]);
      expect(entry?.state).toBe("ready");
      expect(entry?.applied.map((change) => `${change.kind}:${change.table}:${change.name ?? ""}`).sort()).toEqual(["add_column:items:rating", "add_column:items:state", "add_index:items:idx_items_state", "add_table:tags:"]);
      const crud = framework.resolve(CrudService);
      const rows = (await crud.list("catalog", "items", { sort: [{ column: "id", direction: "asc" }] }))._unsafeUnwrap().records;
      expect(rows.map(({ title, note, rating, state }) => ({ title, note, rating, state }))).toEqual(SEED_ROWS.map((row) => ({ ...row, rating: null, state: "new" })));
      expect((await crud.create("catalog", "items", { title: "delta", rating: 4 }))._unsafeUnwrap()).toMatchObject({ title: "delta", rating: 4, state: "new" });
      const live = (await framework.databases.get("catalog")._unsafeUnwrap().inspect())._unsafeUnwrap();
      expect(live.find((table) => table.name === "tags")?.indexes.map((index) => index.name)).toContain("idx_tags_label");
      expect(live.find((table) => table.name === "items")?.indexes.map((index) => index.name)).toEqual(expect.arrayContaining(["idx_items_state", "idx_items_title"]));
    });
    await withBoot(grown, async (framework) => {
      expect(framework.databases.entry("catalog")).toMatchObject({ state: "ready", applied: [], refused: [] });
    });
  });

  it("two processes' worth of boots at once apply the same additive change once", async () => {
    const wider = catalogModels({
      itemColumns: `${V1_COLUMNS}
  @Column({ type: "integer", nullable: true }) rating: number | null;
  @Column({ type: "varchar", length: 20, default: "new" }) state: string;
  @Column({ type: "text", nullable: true }) summary: string | null;`,
      itemIndexes: `@Index("idx_items_title", ["title"]) @Index("idx_items_state", ["state"])`,
      extraTables: `@Entity({ name: "tags" }) @Index("idx_tags_label", ["label"]) export class Tag { @PrimaryGeneratedColumn() id: number; @Column({ type: "varchar", length: 50 }) label: string; }`,
    });
    if (engine.kind === "sqlite") {
      // One process holds a SQLite file; a second boot there is the multi-process suites' subject.
      const applied = await withBoot(wider, async (framework) => framework.databases.entry("catalog")?.applied.map((change) => change.name));
      expect(applied).toEqual(["summary"]);
      return;
    }
    const boots = await Promise.all([0, 1, 2].map(() => withBoot(wider, async (framework) => ({ state: framework.databases.entry("catalog")?.state, applied: framework.databases.entry("catalog")?.applied.map((change) => change.name) ?? [] }))));
    expect(boots.map((boot) => boot.state)).toEqual(["ready", "ready", "ready"]);
    // The advisory schema lock lets one boot add the column; the others find it there under the lock.
    expect(boots.flatMap((boot) => boot.applied)).toEqual(["summary"]);
  });
});
