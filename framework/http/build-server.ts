import Fastify, { type FastifyInstance } from "fastify";
import type { Framework } from "../boot/framework";
import { CrudService } from "../crud/crud-service";
import { MigrationService } from "../migrations/migration-service";
import type { ApiContext } from "./api-context";
import { registerAccessControl, tokensConfigured } from "./auth/access-control";
import { registerHostCheck } from "./auth/host-check";
import { registerJsonBodyParser } from "./body/json-body-parser";
import type { PendingMigrationCounter } from "./describe/database-status";
import { apiError, ApiErrorException } from "./errors/api-error";
import { registerErrorHandling, sendApiError } from "./errors/error-handler";
import { HTTP_DEFAULTS, type HttpSettings } from "./http-settings";
import { loggerOptions, REQUEST_ID_RESPONSE_HEADER, requestId, type LogDestination } from "./logging/logger-options";
import { RouteCatalog } from "./openapi/route-catalog";
import type { ProbeRouteConfig } from "./routes/status-routes";
import { INVALID_QUERY_KEY, parseQueryString } from "./query/parse-query-string";
import { normaliseSeedAliases } from "./query/seed-aliases";
import { auditRoutes } from "./routes/audit-routes";
import { databaseRoutes } from "./routes/database-routes";
import { erdRoutes } from "./routes/erd-routes";
import { consoleRoutes } from "./ui/console-routes";
import { migrationRoutes } from "./routes/migration-routes";
import { openApiRoute } from "./routes/openapi-route";
import { operationsRoutes } from "./routes/operations-routes";
import { metricsRoute } from "./routes/metrics-route";
import { moduleRoutesPlugin } from "./modules/register-module-routes";
import { recordRoutes } from "./routes/record-routes";
import { settingsRoutes } from "./routes/settings-routes";
import { unscopedTableRoutes } from "./routes/unscoped-table-routes";
import { registerRequestContext } from "./request-context-hooks";
import { queryRoutes } from "./routes/query-routes";
import { transferRoutes } from "./routes/transfer-routes";
import { statusRoutes } from "./routes/status-routes";
import { allSensitiveColumnNames } from "./sensitive/hide-sensitive";
import { ServerState } from "./server-state";
import { compileTableSerializers, type SerializerCompiler } from "./typed/table-bodies";

/** Ajv options of every route's validation (module routes are trial-compiled with the same). */
const AJV_OPTIONS = { customOptions: { removeAdditional: false, coerceTypes: true, useDefaults: true, allErrors: false } } as const;

/** Version of the API described by the OpenAPI document. */
export const API_VERSION = "1.0.0";

/** Options of {@link buildServer}. */
export interface BuildServerOptions {
  /** Token, body and response limits and log level; anything unset takes the defaults (no token, 1 MiB, 8 MiB, info). */
  readonly settings?: Partial<Pick<HttpSettings, "apiToken" | "tokens" | "publicRead" | "bodyLimit" | "responseLimit" | "logLevel" | "allowedHosts">>;
  /** Where log lines go (stdout by default); tests capture them here. */
  readonly logDestination?: LogDestination;
  /** The phase object shared with whoever shuts the server down; one is created when absent. */
  readonly state?: ServerState;
  /** Pending-migration counts for the status route; unknown (null) when absent. */
  readonly pendingMigrations?: PendingMigrationCounter;
}

/** The tables the generic API shows, per ready database, with their levels (hidden ones left out). */
function visibleTablesByDatabase(framework: Framework): Record<string, Record<string, string>> {
  return Object.fromEntries(framework.databases.open().map((database) => [database.name, Object.fromEntries(framework.access.visibleTables(database).map((table) => [table.name, table.access]))]));
}

/** Pending-migration counts from the framework's MigrationService; null for databases it does not manage. */
function pendingFromMigrationService(framework: Framework): PendingMigrationCounter {
  if (!framework.container.isRegistered(MigrationService, true)) return async () => null;
  const service = framework.resolve(MigrationService);
  return async (database) => {
    if (!service.databases().includes(database)) return null;
    const status = await service.status(database);
    return status.isOk() ? (status.value[0]?.pending.length ?? 0) : null;
  };
}

/**
 * Builds the REST API over a booted framework: every route validated by JSON schema, one error
 * shape, the bearer token on writing routes, bounded bodies and pages, sensitive columns hidden,
 * request logs with ids and without secrets. The caller listens (see `serveHttp`).
 */
export function buildServer(framework: Framework, options: BuildServerOptions = {}): FastifyInstance {
  const bodyLimit = options.settings?.bodyLimit ?? HTTP_DEFAULTS.bodyLimit;
  const state = options.state ?? new ServerState();
  const app = Fastify({
    logger: loggerOptions(options.settings?.logLevel ?? HTTP_DEFAULTS.logLevel, allSensitiveColumnNames(framework.databases), options.logDestination),
    genReqId: requestId,
    bodyLimit,
    // Long names must reach the schema (a clear 400/404 naming them), not die in the router.
    routerOptions: { querystringParser: (raw: string) => normaliseSeedAliases(parseQueryString(raw)), maxParamLength: 1_000 },
    // Shutdown answers in the API's own error shape (see the onRequest hook below).
    return503OnClosing: false,
    ajv: AJV_OPTIONS,
  });

  const catalog = new RouteCatalog();
  catalog.attach(app);
  registerRequestContext(app);
  framework.metrics.http.register(app);
  // While the server runs, slow statements go to its request log (with the request ids it logs).
  const restoreSlowSink = framework.metrics.slowStatements.useSink((statement) => app.log.warn({ slow_statement: statement }, "slow statement"));
  app.addHook("onClose", async () => restoreSlowSink());
  registerErrorHandling(app, bodyLimit);
  registerJsonBodyParser(app);
  app.addHook("onRequest", async (request, reply) => {
    reply.header(REQUEST_ID_RESPONSE_HEADER, request.id);
  });
  // Without a token the server is reachable from this machine only; the Host check keeps web pages out (DNS rebinding).
  if (!tokensConfigured(options.settings ?? {})) registerHostCheck(app, options.settings?.allowedHosts ?? HTTP_DEFAULTS.allowedHosts);
  app.addHook("onRequest", async (request, reply) => {
    if (state.phase === "stopping" && (request.routeOptions.config as ProbeRouteConfig).probe !== true) {
      reply.header("connection", "close");
      return sendApiError(request, reply, apiError("NOT_READY", "The server is shutting down.", "core.http", {}));
    }
  });
  // A request already in flight when the drain began must not leave its keep-alive connection
  // open: the listener's close would wait for it (up to the keep-alive timeout).
  app.addHook("onSend", async (_request, reply) => {
    if (state.phase === "stopping") reply.header("connection", "close");
  });
  registerAccessControl(app, options.settings ?? {});
  app.addHook("preValidation", async (request) => {
    const problem = (request.query as Record<string, unknown> | undefined)?.[INVALID_QUERY_KEY];
    if (typeof problem === "string") throw new ApiErrorException(apiError("VALIDATION_FAILED", `Invalid query string: ${problem}.`, "core.http", {}));
  });
  app.addHook("onReady", async function compileSerializers() {
    // Every open table's response serialisers, compiled before the first request rather than by it.
    const compile = this.serializerCompiler as SerializerCompiler | undefined;
    if (compile !== undefined) compileTableSerializers(compile, framework.databases.open().flatMap((database) => database.tableMetadatas()));
  });
  app.addHook("onReady", async () => state.markReady());

  const context: ApiContext = {
    framework,
    crud: framework.resolve(CrudService),
    state,
    pendingMigrations: options.pendingMigrations ?? pendingFromMigrationService(framework),
    responseLimit: options.settings?.responseLimit ?? HTTP_DEFAULTS.responseLimit,
  };
  void app.register(statusRoutes, context);
  void app.register(databaseRoutes, context);
  void app.register(erdRoutes, context);
  void app.register(recordRoutes, context);
  void app.register(queryRoutes, context);
  void app.register(transferRoutes, context);
  void app.register(migrationRoutes, context);
  void app.register(operationsRoutes, context);
  void app.register(auditRoutes, context);
  void app.register(settingsRoutes, context);
  void app.register(unscopedTableRoutes, context);
  void app.register(metricsRoute, context);
  void app.register(moduleRoutesPlugin, { framework, ajv: AJV_OPTIONS });
  void app.register(openApiRoute, { catalog, version: API_VERSION, registry: framework.databases, tables: () => visibleTablesByDatabase(framework), accessOf: (database, table) => framework.access.tableAccess(database, table) });
  void app.register(consoleRoutes);
  return app;
}
