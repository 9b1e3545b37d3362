import { expect } from "vitest";
import { bootFramework, CrudService, type Framework } from "../../framework";
import { AUTHORS, BOOKS, CATALOG_MODELS, EVENTS } from "./query-models";
import { createTempRoot, type TempRoot } from "./temp-root";

/** A booted framework with the `catalog` module seeded (authors, books, events). */
export interface Catalog {
  readonly framework: Framework;
  readonly crud: CrudService;
  readonly temp: TempRoot;
  close(): Promise<void>;
}

/** Writes the catalog module into `temp` (for tests that boot it themselves, e.g. behind a server). */
export function writeCatalogModule(temp: TempRoot): void {
  temp.writeModuleFile("catalog", "db-models.ts", CATALOG_MODELS);
}

/** Inserts the sample rows through the CrudService. */
export async function seedCatalog(crud: CrudService): Promise<void> {
  expect((await crud.createMany("catalog", "authors", AUTHORS))._unsafeUnwrap()).toEqual({ inserted: AUTHORS.length });
  expect((await crud.createMany("catalog", "books", BOOKS))._unsafeUnwrap()).toEqual({ inserted: BOOKS.length });
  expect((await crud.createMany("catalog", "events", EVENTS))._unsafeUnwrap()).toEqual({ inserted: EVENTS.length });
}

/** Boots a fresh catalog. */
export async function bootCatalog(prefix: string): Promise<Catalog> {
  const temp = createTempRoot(prefix);
  writeCatalogModule(temp);
  const framework = await bootFramework({ rootDir: temp.root, dataDir: temp.dataDir });
  const crud = framework.resolve(CrudService);
  await seedCatalog(crud);
  return {
    framework,
    crud,
    temp,
    async close() {
      await framework.shutdown();
      temp.remove();
    },
  };
}
