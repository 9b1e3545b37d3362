import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allTables, schemaSnapshot, tableRows } from "../../support/schema-snapshot";
import { createCompiledRoot, runCli } from "../../support/run-cli";
import type { TempRoot } from "../../support/temp-root";

/** A data migration as `tsc` would emit it: CommonJS, a class with up/down. */
function jsMigration(className: string, description: string, up: readonly string[], down: readonly string[]): string {
  const lines = (statements: readonly string[]) => statements.map((sql) => `    await queryRunner.query(${JSON.stringify(sql)});`).join("\n");
  return `"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
class ${className} {
  constructor() {
    this.name = ${JSON.stringify(className)};
    this.description = ${JSON.stringify(description)};
  }
  async up(queryRunner) {
${lines(up)}
  }
  async down(queryRunner) {
${lines(down)}
  }
}
exports.${className} = ${className};
`;
}

describe("moduledb CLI: migration commands (real child processes, real files)", () => {
  let temp: TempRoot;
  let paths: string[];
  let file: string;
  const migrations = () => path.join(temp.root, "modules", "ciap", "migrations");

  beforeAll(async () => {
    temp = createCompiledRoot("cli-migrations", ["ciap"]);
    // These tests drive the commands with migrations of their own; the ones ciap ships are
    // tested in test/modules/seed-migrations.test.ts.
    rmSync(migrations(), { recursive: true, force: true });
    paths = ["--root", temp.root, "--data", temp.dataDir];
    file = path.join(temp.dataDir, "ciap.db");
    const seeded = await runCli(["seed", ...paths]);
    expect(seeded.code, seeded.stderr).toBe(0);
  });
  afterAll(() => temp.remove());

  it("migration:generate on an up-to-date database writes nothing and says so", async () => {
    const run = await runCli(["migration:generate", "ciap", "nothing to see", ...paths]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("Nothing to generate: database 'ciap' already matches its entities. No file written.");
    expect(existsSync(migrations())).toBe(false);
    const json = await runCli(["migration:generate", "ciap", "nothing to see", "--json", ...paths]);
    expect(JSON.parse(json.stdout)).toMatchObject({ database: "ciap", written: false, file: null });
    const badMessage = await runCli(["migration:generate", "ciap", "***", ...paths]);
    expect(badMessage.code).toBe(1);
    expect(badMessage.stderr).toContain("error [INVALID_MESSAGE]");
    const missingMessage = await runCli(["migration:generate", "ciap", ...paths]);
    expect(missingMessage.code).toBe(2);
    expect(missingMessage.stderr).toContain("missing required argument 'message'");
  });

  it("migration:status shows pending, migration:run applies them, migration:revert undoes the last", async () => {
    const folder = migrations();
    mkdirSync(folder, { recursive: true });
    writeFileSync(
      path.join(folder, "1700000000100-add-yandex-limit.js"),
      jsMigration("AddYandexLimit1700000000100", "start tracking yandex", [`INSERT INTO "rate_limits" ("scraper_name", "request_count") VALUES ('yandex', 0)`], [`DELETE FROM "rate_limits" WHERE "scraper_name" = 'yandex'`]),
    );
    writeFileSync(
      path.join(folder, "1700000000200-reprioritise-cleanup.js"),
      jsMigration("ReprioritiseCleanup1700000000200", "cleanup runs last", [`UPDATE "task_queue" SET "priority" = 10 WHERE "task_type" = 'cleanup_cache'`], [`UPDATE "task_queue" SET "priority" = 9 WHERE "task_type" = 'cleanup_cache'`]),
    );

    // The CLI never migrates as a side effect: status only reports, and the database waits for migration:run.
    const pending = await runCli(["migration:status", "ciap", ...paths]);
    expect(pending.code, pending.stderr).toBe(0);
    expect(pending.stdout).toMatch(/^ciap\s+AddYandexLimit1700000000100\s+PENDING\s+start tracking yandex$/m);
    expect(pending.stdout).toMatch(/^ciap\s+ReprioritiseCleanup1700000000200\s+PENDING\s+cleanup runs last$/m);
    const waiting = await runCli(["tables", "ciap", ...paths]);
    expect(waiting.code).toBe(1);
    expect(waiting.stderr).toContain("2 pending migration(s) (AddYandexLimit1700000000100, ReprioritiseCleanup1700000000200); apply them with: npm run db -- migration:run ciap");

    const run = await runCli(["migration:run", ...paths]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^ciap\s+AddYandexLimit1700000000100, ReprioritiseCleanup1700000000200\s+-\s+ok$/m);
    expect(run.stdout).toMatch(/^framework\s+-\s+-\s+up to date$/m);
    const again = await runCli(["migration:run", "ciap", ...paths]);
    expect(again.stdout).toMatch(/^ciap\s+-\s+-\s+up to date$/m);

    const status = await runCli(["migration:status", "ciap", ...paths]);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/^ciap\s+AddYandexLimit1700000000100\s+applied\s+\S+\s+start tracking yandex$/m);
    expect(status.stdout).toMatch(/^ciap\s+ReprioritiseCleanup1700000000200\s+applied\s+\S+\s+cleanup runs last$/m);
    expect(status.stdout).toContain("ciap (ready): entities and schema agree");
    expect(tableRows(file, "rate_limits").map((row) => row.scraper_name)).toContain("yandex");
    expect(tableRows(file, "task_queue").find((row) => row.task_type === "cleanup_cache")?.priority).toBe(10);
    expect(tableRows(file, "moduledb_migrations").map((row) => [row.name, row.description, row.mode])).toEqual([
      ["AddYandexLimit1700000000100", "start tracking yandex", "run"],
      ["ReprioritiseCleanup1700000000200", "cleanup runs last", "run"],
    ]);

    const unknownTarget = await runCli(["migration:revert", "ciap", "--to", "NoSuchMigration", ...paths]);
    expect(unknownTarget.code).toBe(1);
    expect(unknownTarget.stderr).toContain("error [MIGRATION_NOT_FOUND]: Migration 'NoSuchMigration' is not applied to database 'ciap'.");

    const revertLast = await runCli(["migration:revert", "ciap", "--json", ...paths]);
    expect(revertLast.code, revertLast.stderr).toBe(0);
    expect(JSON.parse(revertLast.stdout)).toEqual({ database: "ciap", reverted: ["ReprioritiseCleanup1700000000200"], carried_out_by: null });
    expect(tableRows(file, "task_queue").find((row) => row.task_type === "cleanup_cache")?.priority).toBe(9);
    const afterRevert = JSON.parse((await runCli(["migration:status", "ciap", "--json", ...paths])).stdout) as { databases: { applied: { name: string }[]; pending: { name: string }[] }[] };
    expect(afterRevert.databases[0]?.applied.map((entry) => entry.name)).toEqual(["AddYandexLimit1700000000100"]);
    expect(afterRevert.databases[0]?.pending.map((entry) => entry.name)).toEqual(["ReprioritiseCleanup1700000000200"]);
  });

  it("migration:revert --to base reverts every migration; bad arguments exit 1 or 2", async () => {
    const revertAll = await runCli(["migration:revert", "ciap", "--to", "base", ...paths]);
    expect(revertAll.code, revertAll.stderr).toBe(0);
    expect(revertAll.stdout).toContain("Reverted in database 'ciap': AddYandexLimit1700000000100.");
    expect(tableRows(file, "rate_limits").map((row) => row.scraper_name)).not.toContain("yandex");
    expect(tableRows(file, "moduledb_migrations")).toEqual([]);
    for (const name of readdirSync(migrations())) rmSync(path.join(migrations(), name));

    const nothing = await runCli(["migration:revert", "ciap", ...paths]);
    expect(nothing.code).toBe(1);
    expect(nothing.stderr).toContain("error [NOTHING_TO_REVERT]");
    const missingArgument = await runCli(["migration:revert", ...paths]);
    expect(missingArgument.code).toBe(2);
    expect(missingArgument.stderr).toContain("missing required argument 'db'");
    const unknown = await runCli(["migration:run", "nope", ...paths]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("Database 'nope' not found. Available databases: ciap, framework.");
    const unknownStatus = await runCli(["migration:status", "nope", ...paths]);
    expect(unknownStatus.code).toBe(1);
    const unknownRevert = await runCli(["migration:revert", "nope", ...paths]);
    expect(unknownRevert.code).toBe(1);
  });

  it("a migration that fails halfway: exit 1 naming the migration and statement, database unchanged", async () => {
    const before = schemaSnapshot(file);
    const rowsBefore = tableRows(file, "rate_limits");
    writeFileSync(
      path.join(migrations(), "1700000000300-broken.js"),
      jsMigration("Broken1700000000300", "fails on purpose", [`CREATE TABLE "half" ("id" integer PRIMARY KEY)`, `INSERT INTO "rate_limits" ("scraper_name") VALUES ('half')`, `UPDATE "no_such_table" SET x = 1`], []),
    );
    const run = await runCli(["migration:run", "ciap", ...paths]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("Migration 'Broken1700000000300' of database 'ciap' failed at statement: UPDATE \"no_such_table\" SET x = 1: no such table: no_such_table");
    expect(run.stdout).toMatch(/^ciap\s+-\s+-\s+FAILED: Broken1700000000300$/m);
    const json = await runCli(["migration:run", "ciap", "--json", ...paths]);
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout) as { databases: { failure: { code: string; migration: string; statement: string } }[] };
    expect(report.databases[0]?.failure).toMatchObject({ code: "MIGRATION_FAILED", migration: "Broken1700000000300", statement: 'UPDATE "no_such_table" SET x = 1' });

    expect(schemaSnapshot(file)).toEqual(before);
    expect(allTables(file)).not.toContain("half");
    expect(tableRows(file, "rate_limits")).toEqual(rowsBefore);

    const status = await runCli(["status", ...paths]);
    expect(status.stdout).toMatch(/^ciap\s+refused\s+UNHEALTHY/m);
    expect(status.stdout).toContain("Broken1700000000300");
    rmSync(path.join(migrations(), "1700000000300-broken.js"));
  });

  it("migration:generate writes a reviewed .ts migration for a destructive difference and tells to rebuild", async () => {
    const raw = new Database(file);
    raw.exec(`ALTER TABLE "cache" ADD COLUMN "legacy_flag" integer`);
    raw.close();
    const refused = await runCli(["status", ...paths]);
    expect(refused.stdout).toContain("npm run db -- migration:generate ciap <message>");

    const run = await runCli(["migration:generate", "ciap", "drop legacy flag", ...paths]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/Wrote .*modules\/ciap\/migrations\/\d{13}-drop-legacy-flag\.ts \(DropLegacyFlag\d{13}\)\./);
    expect(run.stdout).toContain("Column 'cache.legacy_flag' is dropped with its data");
    expect(run.stdout).toContain("Rebuild (npm run build), then apply it with: npm run db -- migration:run ciap");
    const written = readdirSync(migrations()).filter((name) => name.endsWith(".ts"));
    expect(written).toHaveLength(1);
    const source = readFileSync(path.join(migrations(), written[0] as string), "utf8");
    expect(source).toMatch(/export class DropLegacyFlag\d{13} implements MigrationInterface/);
    expect(source).toContain('description = "drop legacy flag"');
    expect(source).toContain("public async down(queryRunner: QueryRunner)");
    // Generating changed nothing: the column is still there.
    expect(schemaSnapshot(file).cache?.columns).toContainEqual(expect.objectContaining({ name: "legacy_flag" }));
  });

  it("migration:generate sees an additive difference too (boot would add it by itself), and changes nothing", async () => {
    const raw = new Database(file);
    raw.exec(`ALTER TABLE "task_queue" DROP COLUMN "error_message"`);
    raw.close();
    const before = new Set(readdirSync(migrations()));
    const run = await runCli(["migration:generate", "ciap", "add error message", ...paths]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("New column 'task_queue.error_message'.");
    const added = readdirSync(migrations()).filter((name) => !before.has(name));
    expect(added).toEqual([expect.stringMatching(/^\d{13}-add-error-message\.ts$/)]);
    // The command only read the schema: the column is still missing.
    expect(schemaSnapshot(file).task_queue?.columns).not.toContainEqual(expect.objectContaining({ name: "error_message" }));
  });
});
