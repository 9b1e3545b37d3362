import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import openapiTS, { astToString } from "openapi-typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeCatalogModule } from "../../../support/catalog";
import { call, startApi, type ApiUnderTest } from "../../../support/http-harness";
import { createTempRoot, REPO_ROOT } from "../../../support/temp-root";

const temp = createTempRoot("table-client");
writeCatalogModule(temp);
let api: ApiUnderTest;
beforeAll(async () => {
  api = await startApi(temp);
});
afterAll(async () => {
  await api?.stop();
  temp.remove();
});

describe("per-table schemas in the OpenAPI document", () => {
  it("each table's concrete paths carry its own record, create and update schemas", async () => {
    const document = (await call(api.url, "GET", "/api/v1/openapi.json")).body;
    const books = document.components.schemas.CatalogBooks;
    expect(books.properties).toMatchObject({ id: { type: "integer", readOnly: true }, title: { type: "string", maxLength: 200 }, priority: { type: ["integer", "null"] }, price: { type: "number" } });
    expect(document.components.schemas.CatalogBooksCreate.required.sort()).toEqual(["price", "status", "title"]);
    expect(document.components.schemas.CatalogNotes.properties.deleted_at).toMatchObject({ type: ["string", "null"], format: "date-time", readOnly: true });
    expect(document.paths["/api/v1/db/databases/catalog/tables/books/records"].post.requestBody.content["application/json"].schema).toEqual({ $ref: "#/components/schemas/CatalogBooksCreate" });
  });

  it("create and update bodies are validated against the table's own schema; responses are serialised by it", async () => {
    const base = "/api/v1/db/databases/catalog/tables/books/records";
    const missing = await call(api.url, "POST", base, { json: { status: "a", price: 1 } });
    expect(missing.status).toBe(400);
    expect(missing.body.error).toMatchObject({ code: "VALIDATION_FAILED", details: { table_name: "books" } });
    expect(missing.body.error.message).toMatch(/^Invalid books record: .*title/);
    const wrongShape = await call(api.url, "PATCH", `${base}/1`, { json: { title: { nested: true } } });
    expect(wrongShape.status).toBe(400);
    expect(wrongShape.body.error.details.errors[0].path).toBe("/title");
    const created = await call(api.url, "POST", base, { json: { title: "Dune", status: "a", price: 9.5 } });
    expect(created.status, created.text).toBe(201);
    expect(created.body.record).toEqual({ id: 1, title: "Dune", status: "a", priority: null, price: 9.5, author_id: null });
    const note = await call(api.url, "POST", "/api/v1/db/databases/catalog/tables/notes/records", { json: { body: "x" } });
    expect(note.body.record.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
    const page = await call(api.url, "GET", "/api/v1/db/databases/catalog/tables/books?fields=title");
    expect(page.body).toMatchObject({ total_records: 1, next_cursor: null, records: [{ id: 1, title: "Dune" }] });
  });

  it("a client generated with openapi-typescript compiles, and a wrong column does not", async () => {
    const document = (await call(api.url, "GET", "/api/v1/openapi.json")).body;
    const types = astToString(await openapiTS(document));
    writeFileSync(path.join(temp.root, "api.d.ts"), types);
    writeFileSync(
      path.join(temp.root, "client.ts"),
      `import type { components, paths } from "./api";
type Book = components["schemas"]["CatalogBooks"];
type NewBook = paths["/api/v1/db/databases/catalog/tables/books/records"]["post"]["requestBody"]["content"]["application/json"];
export const created: NewBook = { title: "Dune", status: "a", price: 9.5, priority: null };
export function titleOf(book: Book): string { return book.title; }
// @ts-expect-error price is a number
export const wrong: NewBook = { title: "Dune", status: "a", price: "cheap" };
// @ts-expect-error there is no column 'name' on books
export function nameOf(book: Book): string { return book.name; }
`,
    );
    const tsc = path.join(REPO_ROOT, "node_modules", ".bin", "tsc");
    const output = execFileSync(tsc, ["--noEmit", "--strict", "--target", "ES2022", "--module", "commonjs", "--skipLibCheck", path.join(temp.root, "client.ts")], { encoding: "utf8", stdio: "pipe" });
    expect(output).toBe("");
  }, 60_000);
});
