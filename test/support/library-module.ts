/**
 * A small `library` module written as plain CommonJS with TypeORM `EntitySchema`s, so that the
 * compiled CLI and `npm start` (which discover `.js` files) can load it from a temporary root
 * without a build step. v1 has `books.pages`; v2 renames it to `page_count`, a destructive
 * difference boot refuses until the migration `RenamePages1700000000900` has run.
 */
import path from "node:path";
import type { TempRoot } from "./temp-root";

function models(pagesColumn: string): string {
  return `"use strict";
const { EntitySchema } = require("typeorm");
exports.DATABASE_NAME = "library";
exports.Book = new EntitySchema({
  name: "Book",
  tableName: "books",
  columns: {
    id: { type: "integer", primary: true, generated: "increment" },
    title: { type: "varchar", length: 200 },
    ${pagesColumn}: { type: "integer", nullable: true },
  },
});
`;
}

/** v1 of `modules/library/db-models.js`: books(id, title, pages). */
export const LIBRARY_V1 = models("pages");
/** v2: books(id, title, page_count). */
export const LIBRARY_V2 = models("page_count");

/** The migration from v1 to v2, as `modules/library/migrations/1700000000900-rename-pages.js`. */
export const RENAME_PAGES_MIGRATION = `"use strict";
class RenamePages1700000000900 {
  constructor() {
    this.name = "RenamePages1700000000900";
    this.description = "books.pages is now page_count";
  }
  async up(queryRunner) {
    await queryRunner.query('ALTER TABLE "books" RENAME COLUMN "pages" TO "page_count"');
  }
  async down(queryRunner) {
    await queryRunner.query('ALTER TABLE "books" RENAME COLUMN "page_count" TO "pages"');
  }
}
exports.RenamePages1700000000900 = RenamePages1700000000900;
`;

/** The migration's name. */
export const RENAME_PAGES = "RenamePages1700000000900";

/** Writes `modules/library/db-models.js` of the given version. */
export function writeLibraryModels(temp: TempRoot, source: string): void {
  temp.writeModuleFile("library", "db-models.js", source);
}

/** Writes the v1→v2 migration into `modules/library/migrations/`. */
export function writeRenameMigration(temp: TempRoot): string {
  return temp.writeModuleFile("library", path.join("migrations", "1700000000900-rename-pages.js"), RENAME_PAGES_MIGRATION);
}
