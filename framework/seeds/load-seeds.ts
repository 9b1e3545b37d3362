import path from "node:path";
import { glob } from "glob";
import { importModuleFile } from "../discovery/import-module-file";
import type { SeedFunction } from "./seed-types";

/** A seed script found in a module's `seeds/` folder. */
export interface LoadedSeed {
  readonly module: string;
  /** File name without extension. */
  readonly name: string;
  readonly file: string;
  readonly seed: SeedFunction;
}

/**
 * Loads the seed scripts of a module (`seeds/*<ext>`, sorted by file name). Throws naming the file
 * when one cannot be imported or does not export a `seed` function.
 */
export async function loadSeeds(module: string, directory: string, extension: ".ts" | ".js"): Promise<LoadedSeed[]> {
  const files = (await glob(`seeds/*${extension}`, { cwd: directory, absolute: true, nodir: true })).filter((file) => !file.endsWith(".d.ts")).sort();
  const seeds: LoadedSeed[] = [];
  for (const file of files) {
    const exports = await importModuleFile(file).catch((error: unknown) => {
      throw new Error(`Seed file ${file} could not be imported: ${error instanceof Error ? error.message : String(error)}`);
    });
    if (typeof exports.seed !== "function") throw new Error(`Seed file ${file} does not export a \`seed\` function.`);
    seeds.push({ module, name: path.basename(file, extension), file, seed: exports.seed as SeedFunction });
  }
  return seeds;
}
