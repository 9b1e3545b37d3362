import { afterAll, describe, expect, it } from "vitest";
import { bootFramework } from "../../../framework";
import { renderSummary, summarizeDatabases } from "../../../framework/summary/boot-summary";
import { createTempRoot } from "../../support/temp-root";

const models = (extra: string) => `import { Column, Entity, Index, PrimaryGeneratedColumn } from "typeorm";
export const DATABASE_NAME = "shelf";
@Entity({ name: "books" })
${extra.includes("index") ? '@Index("idx_books_rating", ["rating"])' : ""}
export class Book {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: "varchar", length: 100 }) title: string;
  ${extra.includes("column") ? '@Column({ type: "integer", nullable: true }) rating: number | null;' : ""}
}
`;

const MIGRATION = `import type { MigrationInterface, QueryRunner } from "typeorm";
export class MarkClassics1700000000800 implements MigrationInterface {
  name = "MarkClassics1700000000800";
  async up(runner: QueryRunner): Promise<void> {
    await runner.query("UPDATE books SET title = title || ' (classic)' WHERE id = 1");
  }
  async down(runner: QueryRunner): Promise<void> {
    await runner.query("UPDATE books SET title = replace(title, ' (classic)', '') WHERE id = 1");
  }
}
`;

describe("the boot summary names every change boot applied on its own", () => {
  const v1 = createTempRoot("auto-changes-v1");
  const v2 = createTempRoot("auto-changes-v2");
  afterAll(() => {
    v1.remove();
    v2.remove();
  });

  it("tables created, a migration run at boot, a column and an index added", async () => {
    v1.writeModuleFile("shelf", "db-models.ts", models(""));
    const first = await bootFramework({ rootDir: v1.root, dataDir: v1.dataDir });
    // Every database also gets the framework's audit table, created by the same step and said so.
    expect(first.automaticChanges.filter((change) => change.database === "shelf")).toEqual([
      { database: "shelf", kind: "add_table", description: "Created table 'books'." },
      { database: "shelf", kind: "add_table", description: "Created table 'moduledb_audit'." },
    ]);
    // The framework's own tables are created the same way, and said so.
    expect(first.automaticChanges.filter((change) => change.database === "framework").map((change) => change.description)).toContain("Created table 'framework_operations'.");
    await first.databases.get("shelf")._unsafeUnwrap().transaction((manager) => manager.query("INSERT INTO books (title) VALUES ('Emma')"));
    await first.shutdown();

    v2.writeModuleFile("shelf", "db-models.ts", models("column index"));
    v2.writeModuleFile("shelf", "migrations/1700000000800-mark-classics.ts", MIGRATION);
    const second = await bootFramework({ rootDir: v2.root, dataDir: v1.dataDir });
    try {
      expect(second.automaticChanges.map((change) => `${change.kind}: ${change.description}`)).toEqual([
        "migration_run: Ran migration MarkClassics1700000000800.",
        "add_column: Added column 'books.rating'.",
        "add_index: Created index 'idx_books_rating' on 'books'.",
      ]);
      const summary = renderSummary(second, await summarizeDatabases(second));
      expect(summary).toContain("      applied at boot: Ran migration MarkClassics1700000000800.");
      expect(summary).toContain("      applied at boot: Added column 'books.rating'.");
      expect(summary).toContain("      applied at boot: Created index 'idx_books_rating' on 'books'.");
      const boot = (await second.operations.list({ kind: "boot", limit: 1 }))._unsafeUnwrap()[0];
      expect(boot?.details.automatic_changes).toEqual(second.automaticChanges.map((change) => ({ ...change })));
    } finally {
      await second.shutdown();
    }
  });
});
