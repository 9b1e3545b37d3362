import type { FastifyInstance } from "fastify";
import type { ApiContext } from "../api-context";
import type { WriteRouteConfig } from "../auth/bearer-auth";
import { errorResponses } from "../schemas/common-schemas";

// Metrics name every database and route: admin information, guarded by the token like the
// routes that change things (API_TOKEN) until scoped tokens give it an `admin` scope of its own.
const admin: WriteRouteConfig = { writes: true };

const metricsQuerySchema = {
  type: "object",
  additionalProperties: false,
  properties: {
    format: { type: "string", enum: ["prometheus", "json"], default: "prometheus", description: "prometheus: the text exposition format (default); json: prom-client's JSON view of the same families (what `moduledb top` reads)." },
  },
} as const;

/** `GET /metrics`: every family of the framework and the process, in Prometheus text format. */
export async function metricsRoute(app: FastifyInstance, context: ApiContext): Promise<void> {
  const metrics = context.framework.metrics;
  app.get<{ Querystring: { format?: "prometheus" | "json" } }>(
    "/metrics",
    {
      config: admin,
      schema: {
        summary: "Prometheus metrics: statements, transactions, gate waits, lock retries, file and WAL sizes per database; requests per route; cache; scheduler jobs; process",
        tags: ["status"],
        security: [{ bearerAuth: [] }],
        querystring: metricsQuerySchema,
        response: errorResponses,
      },
    },
    async (request, reply) => {
      if (request.query.format === "json") return reply.type("application/json; charset=utf-8").send(await metrics.json());
      return reply.type(metrics.contentType).send(await metrics.render());
    },
  );
}
