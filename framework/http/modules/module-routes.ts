import type { FastifyReply, FastifyRequest, FastifySchema, RouteGenericInterface } from "fastify";
import type { InjectionToken } from "tsyringe";

/**
 * The token scopes a module route may demand. `public` is deliberately absent: a module route
 * always sits behind the API's tokens once tokens are configured.
 */
export const MODULE_ROUTE_SCOPES = ["read", "write", "admin"] as const;

/** The scope one module route demands (see docs/routes.md for what each token scope grants). */
export type ModuleRouteScope = (typeof MODULE_ROUTE_SCOPES)[number];

/** The HTTP methods a module route may use. */
export const MODULE_ROUTE_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

/** One of {@link MODULE_ROUTE_METHODS}. */
export type ModuleRouteMethod = (typeof MODULE_ROUTE_METHODS)[number];

/**
 * A module route's JSON schemas. `summary` and a `response` schema for the success status are
 * required: they are what the OpenAPI document shows, and the response schema is what Fastify
 * serialises with, so a property it does not list never leaves the server. Without a
 * `querystring` schema the route accepts no query parameters.
 */
export interface ModuleRouteSchema extends FastifySchema {
  readonly summary: string;
  readonly response: Readonly<Record<string, unknown>>;
}

/** What every module route declares besides its handler. */
export interface ModuleRouteOptions {
  /** The token scope the route needs; a route without one is refused when the server is built. */
  readonly scope: ModuleRouteScope;
  readonly schema: ModuleRouteSchema;
  /** The status of a successful answer (default 200); `schema.response` must describe it. */
  readonly status?: number;
}

/**
 * A module route's handler. It returns the response value, or a neverthrow `Result` /
 * `ResultAsync` of it: an `Ok` is answered with `status`, an `Err` in the standard error shape
 * with the status its code maps to (see docs/module-authoring.md#module-routes). A value of
 * `undefined` answers 204 without a body. Anything thrown that is not an API error answers
 * 500 `INTERNAL_ERROR` with the request id; the exception itself goes to the log only.
 */
export type ModuleRouteHandler<G extends RouteGenericInterface = RouteGenericInterface> = (request: FastifyRequest<G>, reply: FastifyReply) => unknown;

/** Declares routes; URLs are relative to `/api/v1/modules/<module>` (e.g. `/searches/:id`). */
export interface ModuleRouter {
  get<G extends RouteGenericInterface = RouteGenericInterface>(url: string, options: ModuleRouteOptions, handler: ModuleRouteHandler<G>): void;
  post<G extends RouteGenericInterface = RouteGenericInterface>(url: string, options: ModuleRouteOptions, handler: ModuleRouteHandler<G>): void;
  put<G extends RouteGenericInterface = RouteGenericInterface>(url: string, options: ModuleRouteOptions, handler: ModuleRouteHandler<G>): void;
  patch<G extends RouteGenericInterface = RouteGenericInterface>(url: string, options: ModuleRouteOptions, handler: ModuleRouteHandler<G>): void;
  delete<G extends RouteGenericInterface = RouteGenericInterface>(url: string, options: ModuleRouteOptions, handler: ModuleRouteHandler<G>): void;
}

/** What a module's route declarations may use: who they are, and the framework container. */
export interface ModuleRouteContext {
  /** The module's folder name (its routes live under `/api/v1/modules/<module>`). */
  readonly module: string;
  /** The module's `DATABASE_NAME`; a token limited to other databases cannot call its routes. */
  readonly database: string;
  /**
   * Resolves a service (or any token) from the framework container. Call it inside handlers, not
   * while declaring: a module whose database is not ready yet has no services to resolve.
   */
  resolve<T>(token: InjectionToken<T>): T;
}

/** The function a module passes to {@link defineModuleRoutes}. */
export type ModuleRoutesDeclaration = (router: ModuleRouter, context: ModuleRouteContext) => void | Promise<void>;

/** Options of {@link defineModuleRoutes}. */
export interface ModuleRoutesOptions {
  /**
   * HTTP status (400–599) of each of the module's own error codes, e.g. `{ SESSION_INVALID: 401 }`.
   * A code the module returns without declaring it answers 422; the framework's own codes
   * (`RECORD_NOT_FOUND`, `VALIDATION_FAILED`, …) always keep the status they have everywhere.
   */
  readonly errors?: Readonly<Record<string, number>>;
}

const MODULE_ROUTES = Symbol.for("moduledb.module-routes");

/** A module's routes as `module.ts` exports them (`export const routes = defineModuleRoutes(…)`). */
export interface ModuleRoutes {
  readonly [MODULE_ROUTES]: true;
  readonly declare: ModuleRoutesDeclaration;
  readonly errors: Readonly<Record<string, number>>;
}

/**
 * Declares the HTTP routes of a module. The framework calls `declare` when it builds the server
 * and registers the routes in their own encapsulated scope under `/api/v1/modules/<module>/`, with
 * the API's error shape, access control, request ids and OpenAPI entries.
 */
export function defineModuleRoutes(declare: ModuleRoutesDeclaration, options: ModuleRoutesOptions = {}): ModuleRoutes {
  return { [MODULE_ROUTES]: true, declare, errors: { ...(options.errors ?? {}) } };
}

/** True for a value made by {@link defineModuleRoutes} (a symbol from the global registry, so copies of the framework agree). */
export function isModuleRoutes(value: unknown): value is ModuleRoutes {
  return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[MODULE_ROUTES] === true && typeof (value as { declare?: unknown }).declare === "function";
}
