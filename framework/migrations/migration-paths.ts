import { existsSync } from "node:fs";
import path from "node:path";

const COMPILED_MODULE = /^(.*)[\\/]dist[\\/]modules[\\/]([^\\/]+)$/;

/**
 * The source folder of a module, where new migration files belong. Running the compiled build,
 * modules are discovered under `<repo>/dist/modules/<m>`; their sources (and the `.ts` migrations
 * `tsc` compiles into `dist/`) live in `<repo>/modules/<m>`. Any other folder is its own source.
 */
export function sourceModuleDirectory(directory: string): string {
  const match = COMPILED_MODULE.exec(directory);
  if (match === null) return directory;
  const source = path.join(match[1] ?? "", "modules", match[2] ?? "");
  return existsSync(source) ? source : directory;
}
