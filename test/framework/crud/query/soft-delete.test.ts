import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bootCatalog, type Catalog } from "../../../support/catalog";
import { sqliteConnection } from "../../../../framework/engines/sqlite/sqlite-connection";

let catalog: Catalog;
beforeAll(async () => {
  catalog = await bootCatalog("soft-delete");
  (await catalog.crud.createMany("catalog", "notes", Array.from({ length: 10 }, (_, i) => ({ body: `note ${i}`, score: i }))))._unsafeUnwrap();
});
afterAll(async () => {
  await catalog?.close();
});

async function liveIds(withDeleted = false): Promise<number[]> {
  return (await catalog.crud.list("catalog", "notes", { withDeleted }))._unsafeUnwrap().records.map((record) => Number(record.id));
}
function rawRow(id: number): Record<string, unknown> | undefined {
  const db = catalog.framework.databases.get("catalog")._unsafeUnwrap();
  return sqliteConnection(db).prepare("SELECT * FROM notes WHERE id = ?").get(id) as Record<string, unknown> | undefined;
}

describe("soft delete (@DeleteDateColumn)", () => {
  it("delete sets the column and hides the row from get, list, count and aggregate unless withDeleted", async () => {
    const deleted = (await catalog.crud.delete("catalog", "notes", 3))._unsafeUnwrap();
    expect(deleted.deleted_at).toBeInstanceOf(Date);
    expect(rawRow(3)?.deleted_at).not.toBeNull();
    expect(await liveIds()).toEqual([1, 2, 4, 5, 6, 7, 8, 9, 10]);
    expect(await liveIds(true)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect((await catalog.crud.get("catalog", "notes", 3))._unsafeUnwrapErr().code).toBe("RECORD_NOT_FOUND");
    expect((await catalog.crud.get("catalog", "notes", 3, { withDeleted: true }))._unsafeUnwrap().body).toBe("note 2");
    expect((await catalog.crud.count("catalog", "notes"))._unsafeUnwrap()).toBe(9);
    expect((await catalog.crud.aggregate("catalog", "notes", { sum: ["score"] }))._unsafeUnwrap()).toEqual([{ group: {}, sum: { score: 45 - 2 } }]);
    expect((await catalog.crud.aggregate("catalog", "notes", { sum: ["score"], withDeleted: true }))._unsafeUnwrap()).toEqual([{ group: {}, sum: { score: 45 } }]);
    // A deleted record can be neither updated nor deleted again.
    expect((await catalog.crud.update("catalog", "notes", 3, { score: 1 }))._unsafeUnwrapErr().code).toBe("RECORD_NOT_FOUND");
    expect((await catalog.crud.delete("catalog", "notes", 3))._unsafeUnwrapErr().code).toBe("RECORD_NOT_FOUND");
  });

  it("restore brings a row back; hardDelete removes it for good", async () => {
    const restored = (await catalog.crud.restore("catalog", "notes", 3))._unsafeUnwrap();
    expect(restored).toMatchObject({ id: 3, deleted_at: null });
    expect(await liveIds()).toContain(3);
    expect((await catalog.crud.hardDelete("catalog", "notes", 4))._unsafeUnwrap().id).toBe(4);
    expect(rawRow(4)).toBeUndefined();
    expect((await catalog.crud.restore("catalog", "notes", 4))._unsafeUnwrapErr().code).toBe("RECORD_NOT_FOUND");
    expect((await catalog.crud.restore("catalog", "books", 1))._unsafeUnwrapErr().details?.reason).toBe("not_soft_delete");
  });

  it("deleteMany soft-deletes on such tables, and cursors page over live rows only", async () => {
    expect((await catalog.crud.deleteMany("catalog", "notes", [{ column: "score", op: "gte", value: 7 }]))._unsafeUnwrap()).toEqual({ affected: 3 });
    expect(rawRow(9)?.deleted_at).not.toBeNull();
    const first = (await catalog.crud.list("catalog", "notes", { pageSize: 4, sort: [{ column: "score", direction: "desc" }] }))._unsafeUnwrap();
    const second = (await catalog.crud.list("catalog", "notes", { pageSize: 4, sort: [{ column: "score", direction: "desc" }], cursor: first.nextCursor as string }))._unsafeUnwrap();
    expect([...first.records, ...second.records].map((record) => record.score)).toEqual([6, 5, 4, 2, 1, 0]);
    expect(second.nextCursor).toBeNull();
  });
});
