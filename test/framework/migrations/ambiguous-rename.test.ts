import { readFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { bootFramework, MigrationService } from "../../../framework";
import { expectOk } from "../../support/expect-ok";
import { tableRows } from "../../support/schema-snapshot";
import { createTempRoot } from "../../support/temp-root";

const people = (first: string, last: string) => `import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";

export const DATABASE_NAME = "people";

@Entity({ name: "people" })
export class Person {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: "varchar", length: 80 }) ${first}: string;
  @Column({ type: "varchar", length: 80 }) ${last}: string;
}
`;

describe("migrations: ambiguous renames", () => {
  const v1 = createTempRoot("mig-amb-v1");
  const v2 = createTempRoot("mig-amb-v2");
  afterAll(() => {
    v1.remove();
    v2.remove();
  });

  it("generates the safe rename (in column order), flags it AMBIGUOUS, and the data survives", async () => {
    v1.writeModuleFile("people", "db-models.ts", people("first_name", "last_name"));
    v2.writeModuleFile("people", "db-models.ts", people("given_name", "family_name"));
    const old = await bootFramework({ rootDir: v1.root, dataDir: v1.dataDir });
    const file = expectOk(old.databases.get("people")).file;
    await expectOk(old.databases.get("people")).dataSource.query(`INSERT INTO people (first_name, last_name) VALUES ('Ada', 'Lovelace')`);
    await old.shutdown();

    const framework = await bootFramework({ rootDir: v2.root, dataDir: v1.dataDir });
    try {
      const generated = expectOk(await framework.resolve(MigrationService).generate("people", "rename name columns"));
      expect(generated.plan.renames.map((rename) => [rename.from, rename.to, rename.ambiguous])).toEqual([
        ["first_name", "given_name", true],
        ["last_name", "family_name", true],
      ]);
      expect(generated.plan.notes.filter((note) => note.startsWith("AMBIGUOUS"))).toHaveLength(2);
      expect(readFileSync(generated.file ?? "", "utf8")).toContain("// - AMBIGUOUS: assumed column 'people.first_name' was renamed to 'given_name'");
      const [report] = expectOk(await framework.resolve(MigrationService).run("people"));
      expect(report?.failure).toBeUndefined();
      expect(report?.applied.map((entry) => entry.name)).toEqual([generated.name]);
    } finally {
      await framework.shutdown();
    }
    expect(tableRows(file, "people")).toEqual([{ id: 1, given_name: "Ada", family_name: "Lovelace" }]);
  });
});
