import type { FastifyInstance, FastifyReply } from "fastify";
import type { ApiContext } from "../api-context";
import { grants, reaches } from "../../access/api-tokens";
import { requestPrincipal, type AccessRouteConfig } from "../auth/access-control";
import { describeDatabases, type DatabaseStatus } from "../describe/database-status";
import { degradedDatabases, reprobeUnreachable } from "../describe/degraded-databases";
import { errorResponses, noQuerySchema } from "../schemas/common-schemas";
import { selectEngine, type EngineSettings } from "../../engines/select-engine";

/** The engines serving the databases: `sqlite`, `postgres`, or both joined by `+` when they are mixed. */
function engineKinds(settings: EngineSettings, names: readonly string[]): string {
  const kinds = [...new Set(names.map((name) => selectEngine(settings, name).kind))].sort((a, b) => b.localeCompare(a));
  return kinds.length === 0 ? "sqlite" : kinds.join("+");
}

/** Route config flag: a liveness/readiness probe, answered even while the server drains. */
export interface ProbeRouteConfig {
  readonly probe?: boolean;
}

const probe: ProbeRouteConfig & AccessRouteConfig = { probe: true, scope: "public" };

const healthSchema = {
  type: "object",
  required: ["status"],
  properties: {
    status: { type: "string", enum: ["ok", "degraded"], description: "degraded: the process serves, but a database is refused or living through a storage fault (see databases)." },
    databases: {
      type: "array",
      description: "Each degraded database with the code its failing calls get and why; absent when status is ok.",
      items: {
        type: "object",
        properties: { database: { type: "string" }, code: { type: "string" }, reason: { type: "string" }, since: { type: "string" } },
      },
    },
  },
} as const;

const readinessSchema = {
  type: "object",
  required: ["ready", "status"],
  properties: {
    ready: { type: "boolean" },
    status: { type: "string", enum: ["ready", "starting", "stopping", "degraded"], description: "degraded: a module is unhealthy, or a database is not ready or failed its probe." },
    unhealthy_databases: { type: "array", items: { type: "string" } },
    unhealthy_modules: { type: "array", items: { type: "string" } },
    problems: { type: "array", items: { type: "string" }, description: "Why each unhealthy module or database is so, one line each." },
  },
} as const;

const readinessQuerySchema = {
  type: "object",
  additionalProperties: false,
  properties: {
    allow_degraded: { type: "boolean", default: false, description: "Answer 200 while degraded (for load balancers that accept partial service); still 503 while starting or stopping." },
  },
} as const;

const databaseStatusSchema = {
  type: "object",
  properties: {
    name: { type: "string" },
    file: { type: "string" },
    state: { type: "string", enum: ["ready", "refused", "failed", "closed"] },
    modules: { type: "array", items: { type: "string" } },
    tables: { type: "array", items: { type: "string" } },
    table_count: { type: "integer" },
    health: {
      type: "object",
      properties: { healthy: { type: "boolean" }, latency_ms: { type: "number" }, error: { type: "string" } },
    },
    pending_migrations: { type: ["integer", "null"] },
    problems: { type: "array", items: { type: "string" } },
    refusal: {
      type: ["object", "null"],
      description: "Set while the database is refused with a code of its own (DATABASE_CORRUPT, DATABASE_EMPTIED).",
      properties: { code: { type: "string" }, message: { type: "string" } },
    },
    fault: {
      type: ["object", "null"],
      description: "A storage fault in progress (DISK_FULL, IO_ERROR): reads work, writes fail until one commits again.",
      properties: { code: { type: "string" }, message: { type: "string" }, since: { type: "string" }, failures: { type: "integer" } },
    },
  },
} as const;

const statusSchema = {
  type: "object",
  properties: {
    status: { type: "string", enum: ["connected", "degraded"] },
    engine: { type: "string" },
    data_dir: { type: "string" },
    initialization: {
      type: "object",
      properties: {
        phase: { type: "string" },
        module_count: { type: "integer" },
        healthy_modules: { type: "integer" },
        database_count: { type: "integer" },
        ready_databases: { type: "integer" },
        modules: {
          type: "array",
          items: {
            type: "object",
            properties: { name: { type: "string" }, database: { type: ["string", "null"] }, healthy: { type: "boolean" }, problems: { type: "array", items: { type: "string" } } },
          },
        },
      },
    },
    table_count: { type: "integer" },
    databases: { type: "array", items: databaseStatusSchema },
  },
} as const;

/** A database's status without its file path. */
function withoutFile(database: DatabaseStatus): Omit<DatabaseStatus, "file"> {
  const { file: _file, ...rest } = database;
  return rest;
}

/** What the readiness routes answer. */
interface Readiness {
  ready: boolean;
  status: string;
  unhealthy_databases: string[];
  unhealthy_modules: string[];
  problems: string[];
}

/** Readiness: the server is serving, every module is healthy and every database is open and answers a probe. */
async function readiness(context: ApiContext, allowDegraded: boolean): Promise<Readiness> {
  if (context.state.phase !== "ready") return { ready: false, status: context.state.phase, unhealthy_databases: [], unhealthy_modules: [], problems: [] };
  const unhealthyDatabases: string[] = [];
  const problems: string[] = [];
  for (const entry of context.framework.databases.list()) {
    if (entry.state !== "ready" || entry.database === undefined) {
      unhealthyDatabases.push(entry.name);
      // The refusal's message names the database itself.
      problems.push(context.framework.databases.refusalOf(entry).message);
      continue;
    }
    const probe = await entry.database.health();
    if (!probe.healthy) {
      unhealthyDatabases.push(entry.name);
      problems.push(`Database '${entry.name}' failed its probe: ${probe.error ?? "unhealthy"}`);
    }
  }
  const unhealthyModules = context.framework.modules.filter((module) => !module.healthy);
  for (const module of unhealthyModules) {
    // A module that is unhealthy only because its database is says so in a few words; the database's line has the reason.
    const ownProblems = module.database !== undefined && unhealthyDatabases.includes(module.database) ? [] : module.problems;
    problems.push(ownProblems.length > 0 ? `Module '${module.name}': ${ownProblems.join(" ")}` : `Module '${module.name}': its database '${module.database ?? "?"}' is not ready.`);
  }
  const degraded = unhealthyDatabases.length > 0 || unhealthyModules.length > 0;
  return { ready: !degraded || allowDegraded, status: degraded ? "degraded" : "ready", unhealthy_databases: unhealthyDatabases, unhealthy_modules: unhealthyModules.map((module) => module.name), problems };
}

async function sendReadiness(context: ApiContext, reply: FastifyReply, allowDegraded: boolean) {
  const result = await readiness(context, allowDegraded);
  return reply.code(result.ready ? 200 : 503).send(result);
}

/** `/health`, `/ready`, `/api/v1/db/status`, `/api/v1/db/is-ready`. */
export async function statusRoutes(app: FastifyInstance, context: ApiContext): Promise<void> {
  app.get(
    "/health",
    {
      config: probe,
      schema: {
        summary: "Liveness: the process is up and serving HTTP (200 even when degraded; degraded databases are named)",
        tags: ["status"],
        querystring: noQuerySchema,
        response: { 200: healthSchema, ...errorResponses },
      },
    },
    async () => {
      await reprobeUnreachable(context.framework);
      const degraded = degradedDatabases(context.framework);
      return degraded.length === 0 ? { status: "ok" } : { status: "degraded", databases: degraded };
    },
  );

  for (const url of ["/ready", "/api/v1/db/is-ready"]) {
    app.get<{ Querystring: { allow_degraded?: boolean } }>(
      url,
      {
        config: probe,
        schema: {
          summary: "Readiness: 200 when every module is healthy and every database is open and healthy; 503 while starting, stopping or degraded (200 when degraded with allow_degraded=true)",
          tags: ["status"],
          querystring: readinessQuerySchema,
          response: { 200: readinessSchema, 503: readinessSchema, ...errorResponses },
        },
      },
      async (request, reply) => sendReadiness(context, reply, request.query.allow_degraded === true),
    );
  }

  app.get(
    "/api/v1/db/status",
    {
      schema: {
        summary: "Engine, boot summary and every database with its tables, health and pending migrations",
        tags: ["status"],
        querystring: noQuerySchema,
        response: { 200: statusSchema, ...errorResponses },
      },
    },
    async (request) => {
      const { framework } = context;
      const principal = requestPrincipal(request);
      // File paths tell an attacker where to look; only admin sees them. A token limited to some databases sees only those.
      const admin = grants(principal, "admin");
      const described: DatabaseStatus[] = await describeDatabases(framework, context.pendingMigrations);
      const databases = described.filter((database) => reaches(principal, database.name)).map((database) => (admin ? database : withoutFile(database)));
      const degraded = databases.some((database) => !database.health.healthy) || framework.modules.some((module) => !module.healthy);
      return {
        status: degraded ? "degraded" : "connected",
        engine: engineKinds(framework.settings, framework.databases.names()),
        ...(admin ? { data_dir: framework.settings.dataDir } : {}),
        initialization: {
          phase: context.state.phase,
          module_count: framework.modules.length,
          healthy_modules: framework.modules.filter((module) => module.healthy).length,
          database_count: databases.length,
          ready_databases: databases.filter((database) => database.state === "ready").length,
          modules: framework.modules.map((module) => ({ name: module.name, database: module.database ?? null, healthy: module.healthy, problems: module.problems })),
        },
        table_count: databases.reduce((sum, database) => sum + database.table_count, 0),
        databases,
      };
    },
  );
}
