import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exportRecords, exportStream } from "../../../../framework/crud/transfer/export-records";
import { parseRecords } from "../../../../framework/crud/transfer/import-records";
import { bootCatalog, type Catalog } from "../../../support/catalog";
import { snapshotDatabase } from "../../../support/http-harness";
import { EVENTS } from "../../../support/query-models";

let catalog: Catalog;
beforeAll(async () => {
  catalog = await bootCatalog("transfer");
});
afterAll(async () => {
  await catalog?.close();
});

async function text(readable: Readable): Promise<string> {
  let out = "";
  for await (const chunk of readable) out += String(chunk);
  return out;
}
const metadataOf = (table: string) => catalog.framework.databases.get("catalog")._unsafeUnwrap().table(table)._unsafeUnwrap();
const file = () => catalog.framework.databases.entry("catalog")?.file ?? "";

describe("export", () => {
  it("NDJSON holds exactly the filtered, sorted rows, across many batches", async () => {
    (await catalog.crud.createMany("catalog", "notes", Array.from({ length: 2_500 }, (_, i) => ({ body: `n${i}`, score: i % 10 }))))._unsafeUnwrap();
    const { columns, batches } = (await exportRecords(catalog.crud, "catalog", "notes", { filters: [{ column: "score", op: "lt", value: 3 }], sort: [{ column: "score", direction: "desc" }], fields: ["body", "score"] }))._unsafeUnwrap();
    expect(columns).toEqual(["id", "body", "score"]);
    const lines = (await text(exportStream(columns, batches, "ndjson"))).trim().split("\n").map((line) => JSON.parse(line));
    const expected = Array.from({ length: 2_500 }, (_, i) => ({ id: i + 1, body: `n${i}`, score: i % 10 }))
      .filter((row) => row.score < 3)
      .sort((a, b) => b.score - a.score || a.id - b.id);
    expect(lines).toEqual(expected);
  });

  it("CSV round-trips quotes, commas, line breaks, NULL and JSON through import", async () => {
    const tricky = [
      { kind: 'say "hi", then\nleave', payload: { a: [1, "x,y"] }, tags: null, labels: ["p", "q"] },
      { kind: " padded ", payload: null, tags: ["z"], labels: null },
    ];
    (await catalog.crud.createMany("catalog", "events", tricky))._unsafeUnwrap();
    const filters = [{ column: "id", op: "gt" as const, value: EVENTS.length }];
    const { columns, batches } = (await exportRecords(catalog.crud, "catalog", "events", { filters }))._unsafeUnwrap();
    const csv = await text(exportStream(columns, batches, "csv"));
    expect(csv.split("\n")[0]).toBe("id,kind,payload,tags,labels");
    const parsed = [];
    for await (const record of parseRecords("csv", Readable.from([csv.slice(0, 17), csv.slice(17)]), metadataOf("events"), "catalog")) parsed.push(record);
    expect(parsed).toEqual(tricky.map((row, index) => ({ id: EVENTS.length + index + 1, ...row })));
  });

  it("a bad filter is refused before any byte", async () => {
    expect((await exportRecords(catalog.crud, "catalog", "notes", { filters: [{ column: "nope", op: "eq", value: 1 }] }))._unsafeUnwrapErr().code).toBe("COLUMN_NOT_FOUND");
  });
});

describe("import", () => {
  const rows = (count: number, bad?: number) => Array.from({ length: count }, (_, i) => (i === bad ? { title: `t${i}`, status: "a", price: "free" } : { title: `t${i}`, status: "a", price: i }));
  async function* stream(values: unknown[]): AsyncGenerator<Record<string, unknown>> {
    for (const value of values) yield value as Record<string, unknown>;
  }

  it("validates every row like createMany: one bad row in the middle imports nothing", async () => {
    const before = snapshotDatabase(file());
    const error = (await catalog.crud.importRecords("catalog", "books", stream(rows(3_000, 1_500))))._unsafeUnwrapErr();
    expect(error).toMatchObject({ code: "VALIDATION_FAILED", details: { row: 1_501, imported: 0, committed_batches: 0 } });
    expect(snapshotDatabase(file())).toBe(before);
  });

  it("imports everything in one transaction, or in committed batches that are reported", async () => {
    const progress: number[] = [];
    const start = (await catalog.crud.count("catalog", "books"))._unsafeUnwrap();
    expect((await catalog.crud.importRecords("catalog", "books", stream(rows(1_200)), { onProgress: (count) => progress.push(count) }))._unsafeUnwrap()).toEqual({ imported: 1_200, batches: 1 });
    expect(progress).toEqual([500, 1_000, 1_200]);
    const partial = (await catalog.crud.importRecords("catalog", "books", stream(rows(1_000, 750)), { batchSize: 300 }))._unsafeUnwrapErr();
    expect(partial.details).toMatchObject({ imported: 600, committed_batches: 2, row: 751 });
    expect((await catalog.crud.count("catalog", "books"))._unsafeUnwrap()).toBe(start + 1_200 + 600);
    expect((await catalog.crud.importRecords("catalog", "books", stream(rows(10)), { batchSize: 3 }))._unsafeUnwrap()).toEqual({ imported: 10, batches: 4 });
  });

  it("malformed NDJSON and unknown CSV headers are refused with the line", async () => {
    const ndjson = parseRecords("ndjson", Readable.from(['{"title":"a","status":"a","price":1}\n{oops\n']), metadataOf("books"), "catalog");
    expect((await catalog.crud.importRecords("catalog", "books", ndjson))._unsafeUnwrapErr()).toMatchObject({ code: "VALIDATION_FAILED", details: { line: 2 } });
    const csv = parseRecords("csv", Readable.from(["title,colour\nx,red\n"]), metadataOf("books"), "catalog");
    expect((await catalog.crud.importRecords("catalog", "books", csv))._unsafeUnwrapErr().code).toBe("COLUMN_NOT_FOUND");
  });
});
