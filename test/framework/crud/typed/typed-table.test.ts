import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bootFramework, CrudService, type Framework } from "../../../../framework";
import { Novel, Writer } from "../../../support/typed-models";
import { createTempRoot, REPO_ROOT, type TempRoot } from "../../../support/temp-root";
import { typedNames } from "./typed-table-names";

let temp: TempRoot;
let framework: Framework;
let crud: CrudService;
beforeAll(async () => {
  temp = createTempRoot("typed-table");
  // The module re-exports the very classes this test imports, so crud.table(Novel) finds them.
  const models = path.join(REPO_ROOT, "test", "support", "typed-models");
  temp.writeModuleFile("typed", "db-models.ts", `export const DATABASE_NAME = "typed";\nexport { Writer, Novel } from ${JSON.stringify(models)};\n`);
  framework = await bootFramework({ rootDir: temp.root, dataDir: temp.dataDir });
  crud = framework.resolve(CrudService);
});
afterAll(async () => {
  await framework?.shutdown();
  temp?.remove();
});

describe("crud.table(Entity)", () => {
  it("runs the CrudService on the entity's own database and table", async () => {
    const writers = crud.table(Writer);
    const novels = crud.table(Novel);
    const ada = (await writers.create({ name: "Ada" }))._unsafeUnwrap();
    expect((await novels.createMany([{ title: "B", pages: 300, writer_id: ada.id ?? null }, { title: "A", pages: 120, writer_id: ada.id ?? null }, { title: "C", pages: 50 }]))._unsafeUnwrap()).toEqual({ inserted: 3 });
    const page = (await novels.list({ fields: ["title"], sort: [{ column: "pages", direction: "desc" }], filters: [{ column: "writer.name", op: "eq", value: "Ada" }], include: ["writer"] }))._unsafeUnwrap();
    expect(page.records.map((record) => record.title)).toEqual(["B", "A"]);
    expect((page.records[0] as { writer: { name: string } }).writer.name).toBe("Ada");
    expect((await novels.aggregate({ sum: ["pages"] }))._unsafeUnwrap()).toEqual([{ group: {}, sum: { pages: 470 } }]);
    expect((await novels.updateMany([{ column: "pages", op: "lt", value: 100 }], { pages: 99 }))._unsafeUnwrap()).toEqual({ affected: 1 });
    // The compile-time checks file is real code too.
    expect(typedNames(crud)).toHaveLength(9);
  });

  it("an entity of no open database is DATABASE_NOT_FOUND", async () => {
    class Stray {
      id!: number;
    }
    expect((await crud.table(Stray).count())._unsafeUnwrapErr().code).toBe("DATABASE_NOT_FOUND");
  });
});
