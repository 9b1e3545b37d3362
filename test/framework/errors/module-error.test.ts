import { err, ok, type Result } from "neverthrow";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bootFramework, buildServer, CrudService, dbError, moduleError, unwrapModule, type DbErrorCode, type Framework, type ModuleOrDbError } from "../../../framework";
import { writeCatalogModule } from "../../support/catalog";
import { call } from "../../support/http-harness";
import { createTempRoot } from "../../support/temp-root";

type LoanCode = "BOOK_UNAVAILABLE" | "LIMIT_REACHED";

/** A module service in miniature: its own codes and the data layer's in one Result. */
async function lend(crud: CrudService, bookId: number): Promise<Result<{ lent: number }, ModuleOrDbError<LoanCode>>> {
  const book = await crud.get("catalog", "books", bookId);
  if (book.isErr()) return err(book.error);
  if (book.value.status !== "a") return err(moduleError("catalog", "BOOK_UNAVAILABLE", `Book ${bookId} is not on the shelf.`, { details: { book_id: bookId, status: book.value.status } }));
  return ok({ lent: bookId });
}

const temp = createTempRoot("module-error");
writeCatalogModule(temp);
let framework: Framework;
let url: string;
let stop: () => Promise<void>;
beforeAll(async () => {
  framework = await bootFramework({ rootDir: temp.root, dataDir: temp.dataDir });
  const crud = framework.resolve(CrudService);
  (await crud.createMany("catalog", "books", [{ title: "On shelf", status: "a", price: 1 }, { title: "Lent", status: "b", price: 1 }]))._unsafeUnwrap();
  const app = buildServer(framework, { logDestination: { write: () => undefined } });
  app.get<{ Params: { id: string } }>("/api/v1/catalog/loans/:id", async (request) => unwrapModule(await lend(crud, Number(request.params.id))));
  await app.listen({ host: "127.0.0.1", port: 0 });
  const address = app.server.address();
  url = typeof address === "object" && address !== null ? `http://127.0.0.1:${address.port}` : "";
  stop = async () => {
    await app.close();
    await framework.shutdown();
  };
});
afterAll(async () => {
  await stop?.();
  temp.remove();
});

describe("module error codes", () => {
  it("are typed by the module's own union without widening DbErrorCode", async () => {
    const result = await lend(framework.resolve(CrudService), 2);
    const error = result._unsafeUnwrapErr();
    // Narrowing on the union: a module code, or a data-layer code.
    if (!("kind" in error)) throw new Error(`expected a module error, got ${error.code satisfies DbErrorCode}`);
    expect(error.code satisfies LoanCode).toBe("BOOK_UNAVAILABLE");
    // @ts-expect-error DbErrorCode is still the closed list
    const widened: DbErrorCode = "BOOK_UNAVAILABLE";
    expect(widened).toBe("BOOK_UNAVAILABLE");
    expect(() => moduleError("catalog", "not upper", "x")).toThrow();
    expect(dbError("RECORD_NOT_FOUND", "x").code).toBe("RECORD_NOT_FOUND");
  });

  it("reach HTTP in the standard error shape with the module's code and status; data-layer errors keep theirs", async () => {
    const refused = await call(url, "GET", "/api/v1/catalog/loans/2");
    expect(refused.status).toBe(409);
    expect(refused.body).toEqual({ error: { code: "BOOK_UNAVAILABLE", message: "Book 2 is not on the shelf.", module: "catalog", details: { book_id: 2, status: "b" } } });
    expect((await call(url, "GET", "/api/v1/catalog/loans/1")).body).toEqual({ lent: 1 });
    const missing = await call(url, "GET", "/api/v1/catalog/loans/99");
    expect(missing.status).toBe(404);
    expect(missing.body.error).toMatchObject({ code: "RECORD_NOT_FOUND", module: "core.database" });
  });
});
