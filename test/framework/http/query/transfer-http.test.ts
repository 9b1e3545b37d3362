import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CrudService } from "../../../../framework";
import { seedCatalog, writeCatalogModule } from "../../../support/catalog";
import { call, snapshotDatabase, startApi, type ApiUnderTest } from "../../../support/http-harness";
import { BOOKS } from "../../../support/query-models";
import { createTempRoot } from "../../../support/temp-root";

const temp = createTempRoot("transfer-http");
writeCatalogModule(temp);
let api: ApiUnderTest;
const base = "/api/v1/db/databases/catalog/tables";
const file = () => api.framework.databases.entry("catalog")?.file ?? "";
beforeAll(async () => {
  api = await startApi(temp);
  await seedCatalog(api.framework.resolve(CrudService));
});
afterAll(async () => {
  await api?.stop();
  temp.remove();
});

describe("export and import over HTTP", () => {
  it("GET …/export streams the filtered, sorted rows as NDJSON or CSV", async () => {
    const ndjson = await call(api.url, "GET", `${base}/books/export?filter[status][eq]=b&sort=-price&fields=title,price`);
    expect(ndjson.status).toBe(200);
    expect(ndjson.headers.get("content-type")).toContain("application/x-ndjson");
    const expected = BOOKS.map((book, index) => ({ id: index + 1, title: book.title, price: book.price }))
      .filter((book) => BOOKS[book.id - 1]?.status === "b")
      .sort((a, b) => b.price - a.price || a.id - b.id);
    expect(ndjson.text.trim().split("\n").map((line) => JSON.parse(line))).toEqual(expected);
    const csv = await call(api.url, "GET", `${base}/books/export?format=csv&filter[status][eq]=b&sort=-price&fields=title,price`);
    expect(csv.text.trim().split("\n")).toEqual(["id,title,price", ...expected.map((book) => `${book.id},${book.title},${book.price}`)]);
    expect((await call(api.url, "GET", `${base}/books/export?filter[nope][eq]=1`)).body.error.code).toBe("COLUMN_NOT_FOUND");
  });

  it("POST …/import takes NDJSON or CSV; one bad row in the middle imports nothing", async () => {
    const before = snapshotDatabase(file());
    const lines = Array.from({ length: 1_001 }, (_, i) => JSON.stringify(i === 500 ? { title: "bad", status: "a", price: "free" } : { title: `n${i}`, status: "a", price: i }));
    const refused = await call(api.url, "POST", `${base}/books/import`, { raw: lines.join("\n"), contentType: "application/x-ndjson" });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ code: "VALIDATION_FAILED", details: { row: 501, imported: 0 } });
    expect(snapshotDatabase(file())).toBe(before);
    const csv = "title,status,price,priority\n\"a, b\",a,1.5,\nplain,c,2,3\n";
    const imported = await call(api.url, "POST", `${base}/books/import`, { raw: csv, contentType: "text/csv" });
    expect(imported.body).toMatchObject({ success: true, imported: 2, batches: 1 });
    const page = await call(api.url, "GET", `${base}/books?filter[id][gt]=${BOOKS.length}&fields=title,price,priority`);
    expect(page.body.records).toEqual([
      { id: BOOKS.length + 1, title: "a, b", price: 1.5, priority: null },
      { id: BOOKS.length + 2, title: "plain", price: 2, priority: 3 },
    ]);
    const batched = await call(api.url, "POST", `${base}/books/import?batch=400`, { raw: lines.join("\n"), contentType: "application/x-ndjson" });
    expect(batched.body.error.details).toMatchObject({ imported: 400, committed_batches: 1, row: 501 });
  });
});
