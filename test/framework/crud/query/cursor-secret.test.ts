import { afterEach, describe, expect, it } from "vitest";
import { loadSettings } from "../../../../framework";
import { bootCatalog, type Catalog } from "../../../support/catalog";

const SECRET = "a cursor secret of at least 32 characters";
const opened: Catalog[] = [];
afterEach(async () => {
  for (const catalog of opened.splice(0)) await catalog.close();
  delete process.env.MODULEDB_CURSOR_SECRET;
});

async function firstCursor(catalog: Catalog): Promise<string> {
  return (await catalog.crud.list("catalog", "books", { pageSize: 5 }))._unsafeUnwrap().nextCursor as string;
}

describe("MODULEDB_CURSOR_SECRET", () => {
  it("with the same secret, another framework instance continues a cursor; without it, it refuses", async () => {
    process.env.MODULEDB_CURSOR_SECRET = SECRET;
    const [one, two] = [await bootCatalog("cursor-secret-a"), await bootCatalog("cursor-secret-b")];
    opened.push(one, two);
    const cursor = await firstCursor(one);
    const continued = (await two.crud.list("catalog", "books", { pageSize: 5, cursor }))._unsafeUnwrap();
    expect(continued.records.map((record) => record.id)).toEqual([6, 7, 8, 9, 10]);
    delete process.env.MODULEDB_CURSOR_SECRET;
    const three = await bootCatalog("cursor-secret-c");
    opened.push(three);
    expect((await three.crud.list("catalog", "books", { pageSize: 5, cursor }))._unsafeUnwrapErr().details?.reason).toBe("invalid_cursor");
  });

  it("a secret shorter than 32 characters is an invalid setting naming the variable, never its value", () => {
    const refused = loadSettings({}, { MODULEDB_CURSOR_SECRET: "short" });
    expect(refused._unsafeUnwrapErr()).toMatchObject({ code: "INVALID_SETTING", variable: "MODULEDB_CURSOR_SECRET" });
    expect(JSON.stringify(refused._unsafeUnwrapErr())).not.toContain("short");
    expect(loadSettings({}, { MODULEDB_CURSOR_SECRET: SECRET })._unsafeUnwrap().cursorSecret).toBe(SECRET);
  });
});
