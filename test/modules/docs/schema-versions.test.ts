import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { bootFramework, MigrationService, REVERT_ALL } from "../../../framework";
import { expectOk } from "../../support/expect-ok";
import { createTempRoot } from "../../support/temp-root";

/** A later docs migration as the module would ship it: it changes something and records its version. */
const LATER_MIGRATION = `import type { MigrationInterface, QueryRunner } from "typeorm";
import { forgetSchemaVersion, recordSchemaVersion } from "../schema-versions/record-version";

export class AddFeedbackNote1900000000000 implements MigrationInterface {
  name = "AddFeedbackNote1900000000000";
  description = "seed the default feedback note setting";

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("INSERT INTO system_config (key, value, updated_by) VALUES ('feedback_note', '\\"thanks\\"', 'migration')");
    await recordSchemaVersion(queryRunner, this.name, this.description, "1900000000000-add-feedback-note.ts");
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await forgetSchemaVersion(queryRunner, this.name);
    await queryRunner.query("DELETE FROM system_config WHERE key = 'feedback_note'");
  }
}
`;

describe("docs schema_versions is written by migrations", () => {
  // A copy, not the linked module: the test adds a migration file to it.
  const temp = createTempRoot("docs-versions");
  temp.copyModule("docs");
  const file = `${temp.dataDir}/docs.db`;
  afterAll(() => temp.remove());

  const versions = (): { version_id: string; migration_script: string | null }[] => {
    const db = new Database(file, { readonly: true });
    try {
      return db.prepare("SELECT version_id, migration_script FROM schema_versions ORDER BY applied_at, version_id").all() as { version_id: string; migration_script: string | null }[];
    } finally {
      db.close();
    }
  };
  const applied = (): string[] => {
    const db = new Database(file, { readonly: true });
    try {
      return (db.prepare("SELECT name FROM moduledb_migrations ORDER BY id").all() as { name: string }[]).map((row) => row.name);
    } finally {
      db.close();
    }
  };

  it("a fresh database lists every migration it recorded; a migration that runs records itself in its own transaction; a revert removes it", async () => {
    let framework = await bootFramework({ rootDir: temp.root, dataDir: temp.dataDir });
    await framework.shutdown();
    expect(versions()).toEqual(applied().map((name) => ({ version_id: name, migration_script: "recorded as baseline" })));

    temp.writeModuleFile("docs", "migrations/1900000000000-add-feedback-note.ts", LATER_MIGRATION);
    framework = await bootFramework({ rootDir: temp.root, dataDir: temp.dataDir });
    try {
      expect(applied()).toContain("AddFeedbackNote1900000000000");
      expect(versions()).toContainEqual({ version_id: "AddFeedbackNote1900000000000", migration_script: "1900000000000-add-feedback-note.ts" });
      expect(versions().map((row) => row.version_id).sort()).toEqual(applied().sort());

      const migrations = framework.resolve(MigrationService);
      expectOk(await migrations.revert("docs"));
      expect(versions().map((row) => row.version_id).sort()).toEqual(applied().sort());
      expect(versions().map((row) => row.version_id)).not.toContain("AddFeedbackNote1900000000000");

      // All the way down and up again: every up records its version.
      expectOk(await migrations.revert("docs", { to: REVERT_ALL }));
      expectOk(await migrations.run("docs"));
      expect([...versions()].sort((a, b) => a.version_id.localeCompare(b.version_id))).toEqual([
        { version_id: "AddFeedbackNote1900000000000", migration_script: "1900000000000-add-feedback-note.ts" },
        { version_id: applied()[0], migration_script: "1796214438701-baseline.ts" },
      ]);
    } finally {
      await framework.shutdown();
    }
  });
});
