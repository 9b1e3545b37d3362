/**
 * Source text of test modules that publish HTTP routes with `defineModuleRoutes`, written as a
 * module author outside this repository would: `lending` (books that can be lent, with its own
 * error codes, a route that throws and routes of every scope), and three broken ones whose routes
 * must be refused — a route without a scope, a schema Ajv cannot compile, a declaration that throws,
 * and a `routes` export that defineModuleRoutes did not make.
 */
import type { TempRoot } from "./temp-root";

const LENDING_MODELS = `import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";

export const DATABASE_NAME = "lending";

@Entity({ name: "books" })
export class Book {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: "varchar", length: 200 }) title: string;
  @Column({ type: "boolean", default: true }) available: boolean;
  @Column({ type: "integer", default: 0 }) loans: number;
}

export const api = { default: "read" } as const;
`;

const LENDING_SERVICE = `import { err, ok, ResultAsync } from "neverthrow";
import { injectable } from "tsyringe";
import type { Repository } from "typeorm";
import { dbError, InjectDatabase, InjectRepository, ModuleDatabase, moduleError, toDbError, type DbError, type ModuleOrDbError } from "../../framework";
import { Book } from "./db-models";

@injectable()
export class LendingService {
  constructor(@InjectRepository(Book) private readonly books: Repository<Book>, @InjectDatabase("lending") private readonly db: ModuleDatabase) {}

  add(title: string): ResultAsync<Book, DbError> {
    return ResultAsync.fromPromise(this.books.save(this.books.create({ title })), (error) => toDbError(error, "lending"));
  }

  get(id: number): ResultAsync<Book, DbError> {
    return ResultAsync.fromPromise(this.books.findOneBy({ id }), (error) => toDbError(error, "lending")).andThen((book) =>
      book === null ? err(dbError("RECORD_NOT_FOUND", \`No book \${id}.\`, "lending", { id })) : ok(book),
    );
  }

  /** Lends a book: BOOK_UNAVAILABLE (a ModuleError, 409) when it is out; LIMIT_REACHED after 3 loans (declared 429). */
  lend(id: number): ResultAsync<Book, ModuleOrDbError<"BOOK_UNAVAILABLE" | "LIMIT_REACHED">> {
    return this.get(id).andThen((book) => {
      if (!book.available) return err(moduleError("lending", "BOOK_UNAVAILABLE", \`Book \${id} is out.\`, { details: { book_id: id } }));
      if (book.loans >= 3) return err({ code: "LIMIT_REACHED" as const, message: "Three loans is the limit.", details: { loans: book.loans }, kind: "module" as const, module: "lending", status: 429 });
      return this.db.transaction(async (manager) => {
        await manager.update(Book, { id }, { available: false, loans: book.loans + 1 });
        return manager.findOneByOrFail(Book, { id });
      });
    });
  }

  giveBack(id: number): ResultAsync<Book, DbError | { code: string; message: string }> {
    return this.get(id).andThen((book) => (book.available ? err({ code: "NOT_LENT", message: \`Book \${id} is on the shelf.\` }) : ResultAsync.fromSafePromise(this.books.save({ ...book, available: true }))));
  }
}
`;

const BOOK_SCHEMA = `{ type: "object", required: ["id", "title", "available"], properties: { id: { type: "integer" }, title: { type: "string" }, available: { type: "boolean" } } }`;
const ID_PARAMS = `{ type: "object", required: ["id"], additionalProperties: false, properties: { id: { type: "integer", minimum: 1 } } }`;

const LENDING_MODULE = `import { defineModuleRoutes } from "../../framework";
import { LendingService } from "./lending-service";

export const services = [LendingService];

const book = ${BOOK_SCHEMA};
const idParams = ${ID_PARAMS};

export const routes = defineModuleRoutes(
  (router, { resolve }) => {
    router.post<{ Body: { title: string } }>(
      "/books",
      { scope: "write", status: 201, schema: { summary: "Add a book", body: { type: "object", required: ["title"], additionalProperties: false, properties: { title: { type: "string", minLength: 1 } } }, response: { 201: book } } },
      (request) => resolve(LendingService).add(request.body.title),
    );
    router.get<{ Params: { id: number } }>("/books/:id", { scope: "read", schema: { summary: "One book", params: idParams, response: { 200: book } } }, (request) => resolve(LendingService).get(request.params.id));
    router.post<{ Params: { id: number } }>("/books/:id/lend", { scope: "write", schema: { summary: "Lend a book", params: idParams, response: { 200: book } } }, (request) => resolve(LendingService).lend(request.params.id));
    router.post<{ Params: { id: number } }>("/books/:id/return", { scope: "write", schema: { summary: "Return a book", params: idParams, response: { 200: book } } }, (request) => resolve(LendingService).giveBack(request.params.id));
    router.get("/boom", { scope: "read", schema: { summary: "Always throws", response: { 200: { type: "object" } } } }, () => {
      throw new Error("secret detail /var/lib/lending.db SELECT * FROM books");
    });
    router.get("/report", { scope: "admin", schema: { summary: "Admins only", response: { 200: { type: "object", properties: { books: { type: "integer" } } } } } }, () => ({ books: 1 }));
    router.delete("/shelf", { scope: "write", schema: { summary: "Nothing to answer", response: { 204: { type: "null" } } }, status: 204 }, () => undefined);
  },
  { errors: { LIMIT_REACHED: 429 } },
);
`;

function brokenModels(name: string): string {
  return `import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";
export const DATABASE_NAME = "${name}";
@Entity({ name: "${name}_items" })
export class Item {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: "text" }) label: string;
}
`;
}

/** `noscope`: one fine route and one without a scope — neither may be served. */
const NOSCOPE_MODULE = `import { defineModuleRoutes } from "../../framework";
const ok = { type: "object", properties: { ok: { type: "boolean" } } };
export const routes = defineModuleRoutes((router) => {
  router.get("/fine", { scope: "read", schema: { summary: "Fine", response: { 200: ok } } }, () => ({ ok: true }));
  router.post("/unguarded", { schema: { summary: "No scope", response: { 200: ok } } } as never, () => ({ ok: true }));
});
`;

/** `badschema`: a body schema Ajv cannot compile. */
const BADSCHEMA_MODULE = `import { defineModuleRoutes } from "../../framework";
export const routes = defineModuleRoutes((router) => {
  router.post("/things", { scope: "write", schema: { summary: "Broken", body: { type: "no-such-type" }, response: { 200: { type: "object" } } } }, () => ({}));
});
`;

/** `throwing`: the declaration itself throws. */
const THROWING_MODULE = `import { defineModuleRoutes } from "../../framework";
export const routes = defineModuleRoutes(() => {
  throw new Error("cannot declare routes today");
});
`;

/** `plainroutes`: a bare Fastify plugin, not made by defineModuleRoutes — a discovery problem. */
const PLAIN_MODULE = `export const routes = async (app: unknown) => app;
`;

/** Writes `lending` and the four broken modules into `temp`. */
export function writeRouteModules(temp: TempRoot): void {
  temp.writeModuleFile("lending", "db-models.ts", LENDING_MODELS);
  temp.writeModuleFile("lending", "lending-service.ts", LENDING_SERVICE);
  temp.writeModuleFile("lending", "module.ts", LENDING_MODULE);
  for (const [name, source] of [["noscope", NOSCOPE_MODULE], ["badschema", BADSCHEMA_MODULE], ["throwing", THROWING_MODULE], ["plainroutes", PLAIN_MODULE]] as const) {
    temp.writeModuleFile(name, "db-models.ts", brokenModels(name));
    temp.writeModuleFile(name, "module.ts", source);
  }
}
