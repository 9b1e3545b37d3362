import path from "node:path";
import { glob } from "glob";
import { errAsync, okAsync, ResultAsync } from "neverthrow";
import type { MigrationInterface } from "typeorm";
import { importModuleFile } from "../discovery/import-module-file";
import { errorMessage, migrationError, type MigrationError } from "./migration-error";
import type { LoadedMigration, MigrationClass } from "./migration-types";

/** A module folder that may hold a `migrations/` folder. */
export interface MigrationSource {
  readonly module: string;
  readonly directory: string;
}

function isMigrationClass(value: unknown): value is MigrationClass {
  if (typeof value !== "function") return false;
  const prototype = (value as { prototype?: Record<string, unknown> }).prototype;
  return typeof prototype?.up === "function" && typeof prototype.down === "function";
}

function migrationName(instance: MigrationInterface, exported: MigrationClass): string {
  return typeof instance.name === "string" && instance.name.length > 0 ? instance.name : exported.name;
}

/** The migration files of one module folder: `migrations/*<ext>`, declarations excluded. */
export async function findMigrationFiles(directory: string, extension: ".ts" | ".js"): Promise<string[]> {
  const files = await glob(`migrations/*${extension}`, { cwd: directory, absolute: true, nodir: true });
  return files.filter((file) => !file.endsWith(".d.ts"));
}

async function loadFile(source: MigrationSource, file: string): Promise<LoadedMigration[]> {
  const exports = await importModuleFile(file);
  const classes = Object.values(exports).filter(isMigrationClass);
  if (classes.length === 0) throw new Error("it exports no migration class (a class with up() and down())");
  return classes.map((exported) => {
    const instance = new exported();
    const description = typeof instance.description === "string" ? instance.description : null;
    return { name: migrationName(instance, exported), description, file, module: source.module, initial: instance.initial === true, instance };
  });
}

/**
 * Loads every migration of one database from the `migrations/` folders of the modules that share
 * it, ordered by file name (files start with a timestamp), then by name. A file that cannot be
 * imported, or two migrations with one name, fail the whole load: running a partial set could
 * apply them out of order.
 */
export function loadMigrations(database: string, sources: readonly MigrationSource[], extension: ".ts" | ".js"): ResultAsync<LoadedMigration[], MigrationError> {
  const load = async (): Promise<LoadedMigration[] | MigrationError> => {
    const loaded: LoadedMigration[] = [];
    for (const source of sources) {
      for (const file of await findMigrationFiles(source.directory, extension)) {
        try {
          loaded.push(...(await loadFile(source, file)));
        } catch (error) {
          return migrationError("MIGRATION_LOAD_FAILED", `Migration file ${file} of database '${database}' could not be loaded: ${errorMessage(error)}`, { database, details: { file } });
        }
      }
    }
    const seen = new Map<string, string>();
    for (const migration of loaded) {
      const earlier = seen.get(migration.name);
      if (earlier !== undefined) {
        return migrationError("MIGRATION_LOAD_FAILED", `Migration name '${migration.name}' is used twice in database '${database}' (${earlier} and ${migration.file}).`, { database, migration: migration.name });
      }
      seen.set(migration.name, migration.file);
    }
    return loaded.sort((a, b) => path.basename(a.file).localeCompare(path.basename(b.file)) || a.name.localeCompare(b.name));
  };
  return ResultAsync.fromPromise(load(), (error) => migrationError("MIGRATION_LOAD_FAILED", errorMessage(error), { database })).andThen((value) =>
    Array.isArray(value) ? okAsync(value) : errAsync(value),
  );
}
