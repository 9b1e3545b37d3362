import { existsSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import type { InjectionToken } from "tsyringe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bootFramework, CrudService, repositoryToken, type Framework } from "../../../framework";
import { FRAMEWORK_IMPORT, simpleModels } from "../../support/module-sources";
import { createTempRoot, type TempRoot } from "../../support/temp-root";

const LIBRARY_MODELS = `
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from "typeorm";
export const DATABASE_NAME = "library";

@Entity({ name: "authors" })
export class Author {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: "varchar", length: 120, unique: true }) name: string;
}

@Entity({ name: "books" })
@Index("idx_books_author", ["author_id"])
@Index("idx_books_title_year", ["title", "year"])
export class Book {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: "varchar", length: 200 }) title: string;
  @Column({ type: "integer", nullable: true }) year: number | null;
  @Column({ type: "integer" }) author_id: number;
  @ManyToOne(() => Author) @JoinColumn({ name: "author_id" }) author?: Relation<Author>;
}
`;

const LIBRARY_SERVICE = `
import { injectable } from "tsyringe";
import type { Repository } from "typeorm";
import { InjectRepository } from "${FRAMEWORK_IMPORT}";
import { Author, Book } from "./db-models";

@injectable()
export class LibraryService {
  constructor(
    @InjectRepository(Author) readonly authors: Repository<Author>,
    @InjectRepository(Book) readonly books: Repository<Book>,
  ) {}

  async addBook(authorName: string, title: string): Promise<Book> {
    const author = await this.authors.save(this.authors.create({ name: authorName }));
    return this.books.save(this.books.create({ title, author_id: author.id, year: 2001 }));
  }
}
export const services = [LibraryService];
`;

/** A module whose second file shares the library database and adds a table to it. */
const LOANS_MODELS = simpleModels("library", ["loans"], "Loan");

const EXPLICIT_MODELS = `
import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";
export const DATABASE_NAME = "explicit";
@Entity({ name: "kept" }) export class Kept { @PrimaryGeneratedColumn() id: number; @Column({ type: "text" }) label: string; }
@Entity({ name: "left_out" }) export class LeftOut { @PrimaryGeneratedColumn() id: number; }
export const entities = [Kept];
`;

const SCHEMA_MODELS = `
import { EntitySchema } from "typeorm";
export const DATABASE_NAME = "schemas";
export interface Note { id: number; body: string; pinned: boolean }
export const NoteSchema = new EntitySchema<Note>({
  name: "Note",
  tableName: "notes",
  columns: {
    id: { type: "integer", primary: true, generated: "increment" },
    body: { type: "text" },
    pinned: { type: "boolean", default: false },
  },
  indices: [{ name: "idx_notes_pinned", columns: ["pinned"] }],
});
`;

function sqliteObjects(file: string): { tables: string[]; indexes: string[] } {
  const connection = new Database(file, { readonly: true });
  try {
    const rows = connection.prepare("SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name").all() as { type: string; name: string }[];
    return { tables: rows.filter((row) => row.type === "table").map((row) => row.name), indexes: rows.filter((row) => row.type === "index").map((row) => row.name) };
  } finally {
    connection.close();
  }
}

describe("discovery of a module written at runtime", () => {
  let temp: TempRoot;
  let framework: Framework;

  beforeAll(async () => {
    temp = createTempRoot("discovery");
    temp.writeModuleFile("library", "db-models.ts", LIBRARY_MODELS);
    temp.writeModuleFile("library", "module.ts", LIBRARY_SERVICE);
    temp.writeModuleFile("loans", "db-models.ts", LOANS_MODELS);
    temp.writeModuleFile("explicit", "db-models.ts", EXPLICIT_MODELS);
    temp.writeModuleFile("schemas", "db-models.ts", SCHEMA_MODELS);
    framework = await bootFramework({ rootDir: temp.root, dataDir: temp.dataDir });
  });

  afterAll(async () => {
    await framework?.shutdown();
    temp.remove();
  });

  it("reports every module healthy and creates <dataDir>/<DATABASE_NAME>.db for each database", () => {
    expect(framework.issues).toEqual([]);
    expect(framework.modules.map((module) => [module.name, module.healthy, module.database])).toEqual([
      ["explicit", true, "explicit"],
      ["library", true, "library"],
      ["loans", true, "library"],
      ["schemas", true, "schemas"],
    ]);
    expect(framework.databases.names()).toEqual(["explicit", "framework", "library", "schemas"]);
    for (const name of framework.databases.names()) {
      const file = path.join(temp.dataDir, `${name}.db`);
      expect(existsSync(file)).toBe(true);
      expect(framework.databases.entry(name)?.file).toBe(file);
    }
  });

  it("creates the tables and named indexes of both modules sharing one DATABASE_NAME in one file", () => {
    const objects = sqliteObjects(path.join(temp.dataDir, "library.db"));
    expect(objects.tables).toEqual(expect.arrayContaining(["authors", "books", "loans"]));
    expect(objects.indexes).toEqual(expect.arrayContaining(["idx_books_author", "idx_books_title_year", "idx_loans_title"]));
    expect(framework.databases.entry("library")?.modules).toEqual(["library", "loans"]);
    expect(existsSync(path.join(temp.dataDir, "loans.db"))).toBe(false);
  });

  it("does CRUD on the new tables through CrudService", async () => {
    const crud = framework.resolve(CrudService);
    const author = (await crud.create("library", "authors", { name: "Ursula" }))._unsafeUnwrap();
    const book = (await crud.create("library", "books", { title: "The Dispossessed", year: 1974, author_id: author.id }))._unsafeUnwrap();
    expect(book).toMatchObject({ title: "The Dispossessed", year: 1974, author_id: author.id });
    expect((await crud.get("library", "books", book.id))._unsafeUnwrap()).toEqual(book);
    const updated = (await crud.update("library", "books", book.id, { year: 1975 }))._unsafeUnwrap();
    expect(updated.year).toBe(1975);
    const loan = (await crud.create("library", "loans", { title: "loan 1" }))._unsafeUnwrap();
    expect((await crud.count("library", "loans"))._unsafeUnwrap()).toBe(1);
    expect((await crud.delete("library", "loans", loan.id))._unsafeUnwrap()).toEqual(loan);
    expect((await crud.count("library", "loans"))._unsafeUnwrap()).toBe(0);
    // The foreign key is real: a book of an unknown author is refused.
    expect((await crud.create("library", "books", { title: "orphan", author_id: 9999 }))._unsafeUnwrapErr().code).toBe("CONSTRAINT_VIOLATION");
  });

  it("resolves the module's service with its repositories injected", async () => {
    const moduleExports = (await import(path.join(temp.root, "modules", "library", "module.ts"))) as { LibraryService: InjectionToken<{ addBook(author: string, title: string): Promise<{ id: number; author_id: number }> }> };
    const service = framework.resolve(moduleExports.LibraryService);
    expect(framework.resolve(moduleExports.LibraryService)).toBe(service);
    const book = await service.addBook("Octavia", "Kindred");
    const connection = new Database(path.join(temp.dataDir, "library.db"), { readonly: true });
    try {
      const row = connection.prepare("SELECT b.title, a.name FROM books b JOIN authors a ON a.id = b.author_id WHERE b.id = ?").get(book.id);
      expect(row).toEqual({ title: "Kindred", name: "Octavia" });
    } finally {
      connection.close();
    }
  });

  it("lets an explicit `entities` export win over other exported classes", () => {
    const database = framework.databases.get("explicit")._unsafeUnwrap();
    expect(database.tableNames()).toEqual(["kept"]);
    expect(sqliteObjects(database.file).tables).not.toContain("left_out");
  });

  it("accepts EntitySchema entities, with their repository in the container", async () => {
    const crud = framework.resolve(CrudService);
    const note = (await crud.create("schemas", "notes", { body: "hello" }))._unsafeUnwrap();
    expect(note).toEqual({ id: 1, body: "hello", pinned: false });
    expect(sqliteObjects(path.join(temp.dataDir, "schemas.db")).indexes).toContain("idx_notes_pinned");
    const database = framework.databases.get("schemas")._unsafeUnwrap();
    const schema = database.entities[0];
    if (schema === undefined) throw new Error("the schemas database has no entity");
    const repository = framework.resolve<{ count(): Promise<number> }>(repositoryToken(schema));
    expect(await repository.count()).toBe(1);
  });
});
