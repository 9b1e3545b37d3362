import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { findToken, fullAccess, grants, principalOf, reaches, type ApiTokenEntry, type Principal, type TokenScope } from "../../access/api-tokens";
import { identifyActor } from "../../runtime/request-context";
import { apiError } from "../errors/api-error";
import { sendApiError } from "../errors/error-handler";
import { bearerToken, tokensMatch } from "./bearer-auth";

/** What a route needs: `public` (probes, the OpenAPI document) or a token scope. */
export type RouteScope = "public" | TokenScope;

/** Route config of the access check: `scope`, or the older `writes: true` (= `write`). Unset: `read`. */
export interface AccessRouteConfig {
  readonly writes?: boolean;
  readonly scope?: RouteScope;
}

/** The tokens a server checks. */
export interface AccessSettings {
  readonly apiToken?: string;
  readonly tokens?: readonly ApiTokenEntry[];
  readonly publicRead?: boolean;
}

const principals = new WeakMap<FastifyRequest, Principal>();
const ANONYMOUS_NOTHING: Principal = { name: "anonymous", scopes: new Set() };
const ANONYMOUS_READ: Principal = { name: "anonymous", scopes: new Set(["read"]) };
const LOOPBACK_ANONYMOUS = fullAccess("anonymous");

/** Who `request` acts as (set by the access check; `anonymous` with full access on a server without tokens). */
export function requestPrincipal(request: FastifyRequest): Principal {
  return principals.get(request) ?? LOOPBACK_ANONYMOUS;
}

/** The scope a route needs. */
export function routeScope(request: FastifyRequest): RouteScope {
  const config = request.routeOptions.config as AccessRouteConfig;
  return config.scope ?? (config.writes === true ? "write" : "read");
}

/** True when any token is configured: then reads need one too (unless API_PUBLIC_READ). */
export function tokensConfigured(settings: AccessSettings): boolean {
  return settings.apiToken !== undefined || (settings.tokens?.length ?? 0) > 0;
}

function refuse(request: FastifyRequest, reply: FastifyReply, code: "UNAUTHORIZED" | "FORBIDDEN", message: string, details: Record<string, unknown> = {}) {
  if (code === "UNAUTHORIZED") reply.header("www-authenticate", 'Bearer realm="moduledb"');
  return sendApiError(request, reply, apiError(code, message, "core.http", details));
}

/**
 * The database names a request addresses: its `:database` parameter, `?database=`, a body's
 * `database`, and the database of the module whose route it calls (route config `database`).
 */
function addressedDatabases(request: FastifyRequest): string[] {
  const found = [
    (request.params as { database?: unknown } | undefined)?.database,
    (request.query as { database?: unknown } | undefined)?.database,
    (request.body as { database?: unknown } | undefined)?.database,
    (request.routeOptions.config as { database?: unknown } | undefined)?.database,
  ];
  return found.filter((value): value is string => typeof value === "string");
}

/**
 * Who may call what. Without any token every request acts with full access (the server binds
 * loopback only and checks Host). With `API_TOKEN` or `API_TOKENS_FILE`: the bearer token is
 * checked before the body is read (`API_TOKEN` = full access, file tokens = their scopes and
 * databases); anonymous requests get 401 UNAUTHORIZED (reads are open with API_PUBLIC_READ), a
 * token without the scope 403 FORBIDDEN, a database outside the token's list 403 FORBIDDEN.
 */
export function registerAccessControl(app: FastifyInstance, settings: AccessSettings): void {
  if (!tokensConfigured(settings)) return;
  const entries = settings.tokens ?? [];
  app.addHook("onRequest", async (request, reply) => {
    const scope = routeScope(request);
    const presented = bearerToken(request.headers.authorization);
    let principal: Principal | undefined;
    if (presented === undefined) principal = settings.publicRead === true ? ANONYMOUS_READ : ANONYMOUS_NOTHING;
    else if (settings.apiToken !== undefined && tokensMatch(presented, settings.apiToken)) principal = fullAccess("api-token");
    else {
      const entry = findToken(presented, entries);
      if (entry !== undefined) principal = principalOf(entry);
    }
    if (principal === undefined) {
      if (scope === "public") return;
      return refuse(request, reply, "UNAUTHORIZED", "The bearer token is not valid.");
    }
    principals.set(request, principal);
    // The request's writes are audited as this token (without tokens: `anonymous`, the default).
    identifyActor(principal.name);
    if (scope === "public" || grants(principal, scope)) return;
    if (presented === undefined) return refuse(request, reply, "UNAUTHORIZED", `This route needs a token with the '${scope}' scope: send Authorization: Bearer <token>.`, { required_scope: scope });
    return refuse(request, reply, "FORBIDDEN", `Token '${principal.name}' lacks the '${scope}' scope this route needs.`, { required_scope: scope, token: principal.name });
  });
  // Bodies are parsed by now; a token limited to some databases is held to them wherever the request names one.
  app.addHook("preValidation", async (request, reply) => {
    const principal = principals.get(request);
    if (principal === undefined || principal.databases === undefined) return;
    const outside = addressedDatabases(request).find((database) => !reaches(principal, database));
    if (outside !== undefined) return refuse(request, reply, "FORBIDDEN", `Token '${principal.name}' may not reach database '${outside}'.`, { database: outside, token: principal.name });
  });
}
