import Fastify, { type FastifyInstance, type FastifyPluginAsync, type FastifyServerOptions } from "fastify";
import type { Framework } from "../../boot/framework";
import { allSensitiveColumnNames } from "../sensitive/hide-sensitive";
import { collectRoutes, type CollectedRoute } from "./collect-routes";
import type { ModuleRouteContext, ModuleRoutes } from "./module-routes";
import { answerRoute, type RouteAnswerContext } from "./route-answer";
import { moduleRouteSchema } from "./route-schema";

/** Where every module's routes live: `/api/v1/modules/<module>/…`. */
export const MODULE_ROUTES_PREFIX = "/api/v1/modules";

/** A module that exports routes, as the framework keeps it. */
export interface ModuleRoutesSource {
  readonly module: string;
  readonly database: string;
  readonly routes: ModuleRoutes;
}

/** Options of {@link moduleRoutesPlugin}. */
export interface ModuleRoutesPluginOptions {
  readonly framework: Framework;
  /** The server's Ajv options: the trial registration compiles the schemas exactly as the server will. */
  readonly ajv: FastifyServerOptions["ajv"];
}

/** Route config the access check and the catalog read: the scope, and the database a token must reach. */
export interface ModuleRouteConfig {
  readonly scope: string;
  readonly database: string;
  readonly module: string;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function routesPlugin(routes: readonly CollectedRoute[], source: ModuleRoutesSource, answer: RouteAnswerContext): FastifyPluginAsync {
  return async (scope: FastifyInstance) => {
    for (const route of routes) {
      const config: ModuleRouteConfig = { scope: route.options.scope, database: source.database, module: source.module };
      scope.route({ method: route.method, url: route.url, config, schema: moduleRouteSchema(route.options.schema, source.module, answer.errors), handler: answerRoute(route.handler, route.options.status ?? 200, answer) });
    }
  };
}

/**
 * Registers the routes on a throw-away server and readies it, so whatever Fastify would refuse
 * (a schema Ajv cannot compile, a response schema the serialiser cannot build, a route clash)
 * is found without touching the real server, where it would fail every other route's startup too.
 */
async function trialProblem(plugin: FastifyPluginAsync, prefix: string, ajv: FastifyServerOptions["ajv"]): Promise<string | undefined> {
  const trial = Fastify({ logger: false, ...(ajv === undefined ? {} : { ajv }) });
  try {
    await trial.register(plugin, { prefix });
    await trial.ready();
    return undefined;
  } catch (error) {
    return errorText(error);
  } finally {
    await trial.close().catch(() => undefined);
  }
}

/**
 * Registers every module's routes, each module in its own encapsulated scope under
 * `/api/v1/modules/<module>/`. A module whose declaration throws, breaks a rule (a route without a
 * scope, say) or does not compile gets none of its routes registered and is reported unhealthy
 * with the reason; every other module's routes are served as usual.
 */
export async function moduleRoutesPlugin(app: FastifyInstance, options: ModuleRoutesPluginOptions): Promise<void> {
  const { framework } = options;
  const sensitive = allSensitiveColumnNames(framework.databases);
  for (const source of framework.moduleRoutes) {
    const refuse = (problem: string) => {
      framework.reportModuleProblem(source.module, `${source.module}: routes refused: ${problem}`);
      app.log.error({ module: source.module, problem }, "module routes refused");
    };
    const context: ModuleRouteContext = { module: source.module, database: source.database, resolve: (token) => framework.container.resolve(token) };
    const collected = await collectRoutes(source.routes, context);
    if ("problem" in collected) {
      refuse(collected.problem);
      continue;
    }
    const answer: RouteAnswerContext = { module: source.module, errors: collected.errors, sensitive, healthy: () => framework.modules.find((module) => module.name === source.module)?.healthy === true };
    const plugin = routesPlugin(collected.routes, source, answer);
    const prefix = `${MODULE_ROUTES_PREFIX}/${source.module}`;
    const problem = await trialProblem(plugin, prefix, options.ajv);
    if (problem !== undefined) {
      refuse(problem);
      continue;
    }
    await app.register(plugin, { prefix });
  }
}
