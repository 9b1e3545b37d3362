import type { FastifyInstance, RouteOptions } from "fastify";

declare module "fastify" {
  interface FastifySchema {
    /** One-line description of the route, copied into the OpenAPI document. */
    summary?: string;
    /** OpenAPI tags grouping the route. */
    tags?: readonly string[];
    /** OpenAPI security requirements (the bearer token on writing routes). */
    security?: readonly Record<string, readonly string[]>[];
  }
}

/** What the OpenAPI generator needs to know about one registered route. */
export interface CatalogedRoute {
  readonly method: string;
  readonly url: string;
  readonly schema: NonNullable<RouteOptions["schema"]>;
  /** The token scope the route needs (`public`, `read`, `write`, `admin`), from its config. */
  readonly scope: string;
}

/**
 * Records every route as it is registered (an `onRoute` hook), so the OpenAPI document is built
 * from the very schemas Fastify validates and serialises with. HEAD twins are skipped.
 */
export class RouteCatalog {
  private readonly routes: CatalogedRoute[] = [];

  /** Starts recording; must be called before any route is registered. */
  attach(app: FastifyInstance): void {
    app.addHook("onRoute", (route) => {
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      for (const method of methods) {
        if (method === "HEAD" || route.schema === undefined) continue;
        const config = (route.config ?? {}) as { scope?: string; writes?: boolean };
        this.routes.push({ method: method.toLowerCase(), url: route.url, schema: route.schema, scope: config.scope ?? (config.writes === true ? "write" : "read") });
      }
    });
  }

  /** Every recorded route, in registration order. */
  list(): readonly CatalogedRoute[] {
    return this.routes;
  }
}
