import { createHash } from "node:crypto";
import { cpSync, readFileSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bootFramework, CrudService, type Framework } from "../../../framework";
import { simpleModels } from "../../support/module-sources";
import { createTempRoot, type TempRoot } from "../../support/temp-root";

/** Builds the catalog module's db-models source from column and table declarations. */
function catalogModels(options: { itemColumns: string; itemIndexes?: string; extraTables?: string; withLegacy?: boolean }): string {
  const legacy = options.withLegacy === false
    ? ""
    : `@Entity({ name: "legacy" }) export class Legacy { @PrimaryGeneratedColumn() id: number; @Column({ type: "text" }) payload: string; }`;
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

function sha256(file: string): string {
  return createHash("sha256").update(readFileSync(file)).digest("hex");
}

function query(file: string, sql: string): Record<string, unknown>[] {
  const connection = new Database(file, { readonly: true });
  try {
    return connection.prepare(sql).all() as Record<string, unknown>[];
  } finally {
    connection.close();
  }
}

function schemaObjects(file: string): string[] {
  return query(file, "SELECT type || ':' || name AS object FROM sqlite_master ORDER BY name").map((row) => String(row.object));
}

describe("schema sync across boots", () => {
  const roots: TempRoot[] = [];
  let baselineData: string;

  /** A fresh root holding the given catalog source plus an unrelated healthy module, on a copy of the baseline data. */
  function rootWith(catalogSource: string): TempRoot {
    const temp = createTempRoot("schema");
    roots.push(temp);
    temp.writeModuleFile("catalog", "db-models.ts", catalogSource);
    temp.writeModuleFile("bystander", "db-models.ts", simpleModels("bystander", ["notes"], "Note"));
    cpSync(baselineData, temp.dataDir, { recursive: true });
    return temp;
  }

  beforeAll(async () => {
    const baseline = createTempRoot("schema-baseline");
    roots.push(baseline);
    baseline.writeModuleFile("catalog", "db-models.ts", catalogModels({ itemColumns: V1_COLUMNS }));
    const framework = await bootFramework({ rootDir: baseline.root, dataDir: baseline.dataDir });
    const crud = framework.resolve(CrudService);
    expect((await crud.createMany("catalog", "items", SEED_ROWS)).isOk()).toBe(true);
    expect((await crud.create("catalog", "legacy", { payload: "keep me" })).isOk()).toBe(true);
    await framework.shutdown();
    baselineData = baseline.dataDir;
  });

  afterAll(() => {
    for (const temp of roots) temp.remove();
  });

  it("applies additive changes on the next boot and keeps every existing row", async () => {
    const temp = rootWith(
      catalogModels({
        itemColumns: `${V1_COLUMNS}
  @Column({ type: "integer", nullable: true }) rating: number | null;
  @Column({ type: "varchar", length: 20, default: "new" }) state: string;`,
        itemIndexes: `@Index("idx_items_title", ["title"]) @Index("idx_items_state", ["state"])`,
        extraTables: `@Entity({ name: "tags" }) @Index("idx_tags_label", ["label"]) export class Tag { @PrimaryGeneratedColumn() id: number; @Column({ type: "varchar", length: 50 }) label: string; }`,
      }),
    );
    const framework = await bootFramework({ rootDir: temp.root, dataDir: temp.dataDir });
    try {
      const entry = framework.databases.entry("catalog");
      expect(entry?.state).toBe("ready");
      expect(entry?.applied.map((change) => `${change.kind}:${change.table}:${change.name ?? ""}`).sort()).toEqual([
        "add_column:items:rating",
        "add_column:items:state",
        "add_index:items:idx_items_state",
        "add_table:tags:",
      ]);
      const crud = framework.resolve(CrudService);
      const rows = (await crud.list("catalog", "items", { sort: [{ column: "id", direction: "asc" }] }))._unsafeUnwrap().records;
      expect(rows.map(({ title, note, rating, state }) => ({ title, note, rating, state }))).toEqual(SEED_ROWS.map((row) => ({ ...row, rating: null, state: "new" })));
      expect((await crud.create("catalog", "tags", { label: "red" })).isOk()).toBe(true);
      expect((await crud.create("catalog", "items", { title: "delta", rating: 4 }))._unsafeUnwrap()).toMatchObject({ title: "delta", rating: 4, state: "new" });
    } finally {
      await framework.shutdown();
    }
    expect(schemaObjects(path.join(temp.dataDir, "catalog.db"))).toEqual(expect.arrayContaining(["index:idx_items_state", "index:idx_tags_label", "table:tags", "index:idx_items_title"]));
    // A third boot with the same entities finds nothing left to do.
    const again = await bootFramework({ rootDir: temp.root, dataDir: temp.dataDir });
    try {
      expect(again.databases.entry("catalog")).toMatchObject({ state: "ready", applied: [], refused: [] });
    } finally {
      await again.shutdown();
    }
  });

  const REFUSALS = [
    {
      change: "a renamed column",
      source: catalogModels({ itemColumns: `@Column({ type: "varchar", length: 200 }) name: string;\n  @Column({ type: "text", nullable: true }) note: string | null;`, itemIndexes: "" }),
      mentions: ["Column 'items.title' exists in the database but not in the entity (renamed to 'name'?)", "New column 'items.name' is NOT NULL without a default"],
    },
    {
      change: "a dropped column",
      source: catalogModels({ itemColumns: `@Column({ type: "varchar", length: 200 }) title: string;` }),
      mentions: ["Column 'items.note' exists in the database but not in the entity"],
    },
    {
      change: "a dropped table",
      source: catalogModels({ itemColumns: V1_COLUMNS, withLegacy: false }),
      mentions: ["Table 'legacy' exists in the database but no entity declares it"],
    },
    {
      change: "a changed type",
      source: catalogModels({ itemColumns: `@Column({ type: "integer" }) title: number;\n  @Column({ type: "text", nullable: true }) note: string | null;` }),
      mentions: ["Column 'items.title' changed: type varchar → integer"],
    },
    {
      change: "several destructive changes at once",
      source: catalogModels({ itemColumns: `@Column({ type: "varchar", length: 200 }) title: string;\n  @Column({ type: "integer", nullable: true }) rating: number | null;`, withLegacy: false }),
      mentions: ["Column 'items.note' exists in the database but not in the entity (renamed to 'rating'?)", "Table 'legacy' exists in the database but no entity declares it"],
    },
  ];

  it.each(REFUSALS)("refuses $change: file untouched, message names each change, others keep working", async ({ source, mentions }) => {
    const temp = rootWith(source);
    const file = path.join(temp.dataDir, "catalog.db");
    const before = { hash: sha256(file), rows: query(file, "SELECT * FROM items ORDER BY id"), objects: schemaObjects(file) };
    const framework = await bootFramework({ rootDir: temp.root, dataDir: temp.dataDir });
    try {
      const entry = framework.databases.entry("catalog");
      expect(entry?.state).toBe("refused");
      const problems = entry?.problems.join("\n") ?? "";
      expect(problems).toContain("Database 'catalog' was refused");
      for (const text of mentions) expect(problems).toContain(text);
      expect(entry?.refused.length).toBeGreaterThanOrEqual(mentions.length);
      expect(framework.modules.find((module) => module.name === "catalog")).toMatchObject({ healthy: false });

      const crud = framework.resolve(CrudService);
      const refusedCall = (await crud.count("catalog", "items"))._unsafeUnwrapErr();
      expect(refusedCall.code).toBe("DATABASE_UNAVAILABLE");
      expect(refusedCall.message).toContain("refused");
      expect((await crud.create("catalog", "items", { title: "never" }))._unsafeUnwrapErr().code).toBe("DATABASE_UNAVAILABLE");
      expect((await crud.create("bystander", "notes", { title: "still fine" })).isOk()).toBe(true);
      expect((await crud.count("bystander", "notes"))._unsafeUnwrap()).toBe(1);
    } finally {
      await framework.shutdown();
    }
    expect(sha256(file)).toBe(before.hash);
    expect(query(file, "SELECT * FROM items ORDER BY id")).toEqual(before.rows);
    expect(schemaObjects(file)).toEqual(before.objects);
  });

  it("with strict: true a refused database rejects the boot naming the change", async () => {
    const temp = rootWith(REFUSALS[0]?.source ?? "");
    await expect(bootFramework({ rootDir: temp.root, dataDir: temp.dataDir, strict: true })).rejects.toMatchObject({
      name: "BootError",
      code: "SCHEMA_REFUSED",
      message: expect.stringContaining("renamed to 'name'?"),
    });
  });
});
