import { pathToFileURL } from "node:url";

/**
 * Imports a file that belongs to a module (a migration, a seed). Under the test runner a plain
 * `.ts` path is transformed as TypeScript; plain Node wants a file URL for compiled `.js`.
 */
export async function importModuleFile(file: string): Promise<Record<string, unknown>> {
  const specifier = file.endsWith(".ts") ? file : pathToFileURL(file).href;
  return (await import(specifier)) as Record<string, unknown>;
}
