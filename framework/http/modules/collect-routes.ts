import { API_ERROR_CODES } from "../errors/api-error";
import { MODULE_ERROR_CODE_PATTERN } from "../../errors/module-error";
import { MODULE_ROUTE_METHODS, MODULE_ROUTE_SCOPES, type ModuleRouteContext, type ModuleRouteHandler, type ModuleRouteMethod, type ModuleRouteOptions, type ModuleRouter, type ModuleRoutes } from "./module-routes";

/** One route a module declared, checked. */
export interface CollectedRoute {
  readonly method: ModuleRouteMethod;
  /** Relative to the module's prefix, starting with `/`. */
  readonly url: string;
  readonly options: ModuleRouteOptions;
  readonly handler: ModuleRouteHandler;
}

/** What a module's declaration produced: its routes and error statuses, or why they were refused. */
export type CollectedRoutes = { readonly routes: readonly CollectedRoute[]; readonly errors: ReadonlyMap<string, number> } | { readonly problem: string };

const URL_PATTERN = /^\/[A-Za-z0-9._~\-/:]*$/;

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Why one declared route cannot be registered, or undefined when it is fine. */
function routeProblem(method: string, url: unknown, options: unknown, handler: unknown): string | undefined {
  const name = `${method} ${typeof url === "string" ? url : String(url)}`;
  if (typeof url !== "string" || !URL_PATTERN.test(url) || url.includes("//")) return `${name}: the URL must start with '/' and hold only path characters and ':params'.`;
  if (typeof handler !== "function") return `${name}: the handler must be a function.`;
  if (typeof options !== "object" || options === null) return `${name}: options { scope, schema } are required.`;
  const { scope, schema, status } = options as Partial<ModuleRouteOptions>;
  if (scope === undefined) return `${name} declares no scope: every module route needs scope 'read', 'write' or 'admin'.`;
  if (!(MODULE_ROUTE_SCOPES as readonly string[]).includes(scope)) return `${name}: scope '${String(scope)}' is not one of ${MODULE_ROUTE_SCOPES.join(", ")} (module routes cannot be public).`;
  if (status !== undefined && !(Number.isInteger(status) && status >= 200 && status <= 299)) return `${name}: status ${String(status)} must be a 2xx status.`;
  if (typeof schema !== "object" || schema === null) return `${name}: a schema { summary, response } is required.`;
  if (typeof schema.summary !== "string" || schema.summary.trim() === "") return `${name}: schema.summary is required (it names the route in the OpenAPI document).`;
  const response = schema.response as Record<string, unknown> | undefined;
  const success = String(status ?? 200);
  if (typeof response !== "object" || response === null || (response[success] === undefined && response["2xx"] === undefined)) {
    return `${name}: schema.response must describe the ${success} answer.`;
  }
  return undefined;
}

/** Checks `errors` of {@link defineModuleRoutes}: module codes only, each with a 4xx/5xx status. */
function checkErrors(errors: Readonly<Record<string, number>>): ReadonlyMap<string, number> | string {
  const checked = new Map<string, number>();
  for (const [code, status] of Object.entries(errors)) {
    if (!MODULE_ERROR_CODE_PATTERN.test(code)) return `error code '${code}' must be upper-case words joined by '_'.`;
    if ((API_ERROR_CODES as readonly string[]).includes(code)) return `error code '${code}' is a framework code; its status is fixed and cannot be declared.`;
    if (!Number.isInteger(status) || status < 400 || status > 599) return `error code '${code}': status ${String(status)} must be 400–599.`;
    checked.set(code, status);
  }
  return checked;
}

/**
 * Runs a module's route declaration against a recording router and checks every route: a URL,
 * a scope (`read`, `write` or `admin`), a summary and a success response schema, a handler, and no
 * method + URL twice. Any problem — or a declaration that throws — refuses all of the module's
 * routes, so a module is never served half-registered.
 */
export async function collectRoutes(routes: ModuleRoutes, context: ModuleRouteContext): Promise<CollectedRoutes> {
  const errors = checkErrors(routes.errors);
  if (typeof errors === "string") return { problem: errors };
  const collected: CollectedRoute[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  const add = (method: ModuleRouteMethod) => (url: string, options: ModuleRouteOptions, handler: ModuleRouteHandler) => {
    const problem = routeProblem(method, url, options, handler);
    if (problem !== undefined) return void problems.push(problem);
    const key = `${method} ${url.replace(/:[^/]+/g, ":")}`;
    if (seen.has(key)) return void problems.push(`${method} ${url} is declared twice.`);
    seen.add(key);
    collected.push({ method, url, options, handler });
  };
  const router = Object.fromEntries(MODULE_ROUTE_METHODS.map((method) => [method.toLowerCase(), add(method)])) as unknown as ModuleRouter;
  try {
    await routes.declare(router, context);
  } catch (error) {
    return { problem: `declaring its routes threw: ${errorText(error)}` };
  }
  if (problems.length > 0) return { problem: problems.join(" ") };
  return { routes: collected, errors };
}
