import path from "node:path";
import { pathToFileURL } from "node:url";
import { glob } from "glob";
import { FRAMEWORK_DATABASE_NAME, isValidDatabaseName, DATABASE_NAME_PATTERN } from "./database-name";
import type { DiscoveredModule, EntityClassOrSchema, ModuleStart, ServiceClass } from "./discovered-module";
import type { DiscoveryIssue } from "./discovery-issue";
import { entityNameOf, extractEntities, tableNameOf } from "./extract-entities";
import { resolveApiPolicy } from "../access/access-policy";
import { checkSettingsDeclaration } from "../settings/check-declaration";
import type { SettingsDeclaration } from "../settings/setting-types";
import { isModuleRoutes, type ModuleRoutes } from "../http/modules/module-routes";

/** What discovery found: the modules that passed, and one issue per rule a file broke. */
export interface DiscoveryReport {
  readonly modules: readonly DiscoveredModule[];
  readonly issues: readonly DiscoveryIssue[];
}

/** Where and how to look for modules. */
export interface DiscoveryOptions {
  /** The folder holding `modules/`. */
  readonly rootDir: string;
  /** `.ts` when running from source, `.js` when running the compiled build. */
  readonly extension: ".ts" | ".js";
}

async function importFile(file: string): Promise<Record<string, unknown>> {
  // Under the test runner a plain path is transformed as TypeScript; plain Node wants a file URL.
  const specifier = file.endsWith(".ts") ? file : pathToFileURL(file).href;
  return (await import(specifier)) as Record<string, unknown>;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Finds `modules/<name>/db-models.<ext>` under the root, one per module folder, sorted for a stable boot order. */
export async function findModelFiles(options: DiscoveryOptions): Promise<string[]> {
  const pattern = `modules/*/db-models${options.extension}`;
  const files = await glob(pattern, { cwd: options.rootDir, absolute: true, nodir: true });
  return files.filter((file) => !file.endsWith(".d.ts")).sort();
}

interface ModuleHooks {
  services: ServiceClass[];
  start?: ModuleStart;
  settings?: SettingsDeclaration;
  routes?: ModuleRoutes;
  issue?: DiscoveryIssue;
}

/** Loads the optional `module` file: its `services`, `start` hook, `settings` and `routes`. */
async function loadModuleFile(directory: string, extension: string, moduleName: string): Promise<ModuleHooks> {
  const [file] = await glob(`module${extension}`, { cwd: directory, absolute: true, nodir: true });
  if (file === undefined) return { services: [] };
  try {
    const exports = await importFile(file);
    const services = exports.services ?? [];
    if (!Array.isArray(services) || !services.every((service) => typeof service === "function")) {
      return { services: [], issue: { rule: "INVALID_SERVICES", module: moduleName, file, message: "`services` must be an array of classes." } };
    }
    if (exports.start !== undefined && typeof exports.start !== "function") {
      return { services: [], issue: { rule: "INVALID_SERVICES", module: moduleName, file, message: "`start` must be a function." } };
    }
    if (exports.routes !== undefined && !isModuleRoutes(exports.routes)) {
      return { services: [], issue: { rule: "INVALID_ROUTES", module: moduleName, file, message: "`routes` must be made by defineModuleRoutes((router, context) => …) from the framework." } };
    }
    const hooks: ModuleHooks = { services: services as ServiceClass[] };
    if (exports.routes !== undefined) hooks.routes = exports.routes as ModuleRoutes;
    if (typeof exports.start === "function") hooks.start = exports.start as ModuleStart;
    if (exports.settings !== undefined) {
      const checked = checkSettingsDeclaration(exports.settings);
      if ("problem" in checked) return { services: [], issue: { rule: "INVALID_SETTINGS", module: moduleName, file, message: checked.problem } };
      hooks.settings = checked.declaration;
    }
    return hooks;
  } catch (error) {
    return { services: [], issue: { rule: "IMPORT_FAILED", module: moduleName, file, message: `Import failed: ${errorText(error)}` } };
  }
}

/** Imports one `db-models` file and checks it against the per-file rules. */
async function inspectModelFile(file: string, extension: string): Promise<DiscoveredModule | DiscoveryIssue> {
  const directory = path.dirname(file);
  const moduleName = path.basename(directory);
  const issue = (rule: DiscoveryIssue["rule"], message: string): DiscoveryIssue => ({ rule, module: moduleName, file, message });

  let exports: Record<string, unknown>;
  try {
    exports = await importFile(file);
  } catch (error) {
    return issue("IMPORT_FAILED", `Import failed: ${errorText(error)}`);
  }

  const databaseName = exports.DATABASE_NAME;
  if (databaseName === undefined) return issue("MISSING_DATABASE_NAME", "The file does not export DATABASE_NAME.");
  if (!isValidDatabaseName(databaseName)) {
    return issue("INVALID_DATABASE_NAME", `DATABASE_NAME ${JSON.stringify(databaseName)} does not match ${DATABASE_NAME_PATTERN}.`);
  }
  if (databaseName === FRAMEWORK_DATABASE_NAME) {
    return issue("RESERVED_DATABASE_NAME", `DATABASE_NAME '${FRAMEWORK_DATABASE_NAME}' is reserved for the framework's own database.`);
  }

  const { entities, invalid } = extractEntities(exports);
  if (invalid.length > 0) return issue("INVALID_ENTITIES", `Not entities: ${invalid.join(", ")}.`);
  if (entities.length === 0) return issue("NO_ENTITIES", "The file exports no @Entity class or EntitySchema.");

  const tables = entities.map(tableNameOf);
  const seen = new Map<string, EntityClassOrSchema>();
  for (const [index, table] of tables.entries()) {
    const entity = entities[index] as EntityClassOrSchema;
    const earlier = seen.get(table);
    if (earlier !== undefined) {
      return issue("DUPLICATE_TABLE", `Table '${table}' is declared twice (${entityNameOf(earlier)} and ${entityNameOf(entity)}).`);
    }
    seen.set(table, entity);
  }

  const access = resolveApiPolicy(exports.api, tables, { module: moduleName, file });
  if ("rule" in access) return access;

  const hooks = await loadModuleFile(directory, extension, moduleName);
  if (hooks.issue !== undefined) return hooks.issue;
  const module: DiscoveredModule = { name: moduleName, file, directory, databaseName, entities, tables, access, services: hooks.services };
  return { ...module, ...(hooks.start === undefined ? {} : { start: hooks.start }), ...(hooks.settings === undefined ? {} : { settings: hooks.settings }), ...(hooks.routes === undefined ? {} : { routes: hooks.routes }) };
}

function isIssue(value: DiscoveredModule | DiscoveryIssue): value is DiscoveryIssue {
  return "rule" in value;
}

/**
 * Discovers every module under `rootDir/modules`. Each file is checked on its own, then modules
 * sharing a database are checked for tables declared twice; the later module (by path) is the one reported.
 */
export async function discoverModules(options: DiscoveryOptions): Promise<DiscoveryReport> {
  const files = await findModelFiles(options);
  const modules: DiscoveredModule[] = [];
  const issues: DiscoveryIssue[] = [];
  for (const file of files) {
    const result = await inspectModelFile(file, options.extension);
    if (isIssue(result)) issues.push(result);
    else modules.push(result);
  }

  const owners = new Map<string, DiscoveredModule>();
  const accepted: DiscoveredModule[] = [];
  for (const module of modules) {
    const clash = module.tables
      .map((table) => ({ table, owner: owners.get(`${module.databaseName}/${table}`) }))
      .find((entry) => entry.owner !== undefined);
    if (clash?.owner !== undefined) {
      issues.push({
        rule: "DUPLICATE_TABLE",
        module: module.name,
        file: module.file,
        message: `Table '${clash.table}' in database '${module.databaseName}' is already declared by ${clash.owner.file}.`,
      });
      continue;
    }
    for (const table of module.tables) owners.set(`${module.databaseName}/${table}`, module);
    accepted.push(module);
  }
  return { modules: accepted, issues };
}
