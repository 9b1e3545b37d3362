import type { FastifyInstance } from "fastify";
import { Counter, Histogram, type Registry } from "prom-client";
import { HTTP_SECONDS_BUCKETS } from "./buckets";

/** The `route` label of requests no route matched (404s): one series, whatever the URL was. */
export const UNMATCHED_ROUTE = "unmatched";

/** `2xx`, `4xx`, ...: the status class that labels request series. */
export function statusClass(statusCode: number): string {
  return `${Math.floor(statusCode / 100)}xx`;
}

/**
 * Request count and latency of the REST API by method, route pattern and status class. The
 * route is Fastify's pattern (`/api/v1/db/databases/:database/tables/:table`), never the URL,
 * so the number of series is bounded by the routes registered, not by what clients send.
 */
export class HttpMetrics {
  private readonly requests: Counter<"method" | "route" | "status_class">;
  private readonly seconds: Histogram<"method" | "route" | "status_class">;

  constructor(registry: Registry) {
    const registers = [registry];
    const labelNames = ["method", "route", "status_class"] as const;
    this.requests = new Counter({ name: "moduledb_http_requests_total", help: "HTTP requests answered, by method, route pattern and status class.", labelNames, registers });
    this.seconds = new Histogram({ name: "moduledb_http_request_duration_seconds", help: "Time from receiving a request to sending its response.", labelNames, buckets: HTTP_SECONDS_BUCKETS, registers });
  }

  /** Counts every response `app` sends; call before routes are registered. */
  register(app: FastifyInstance): void {
    app.addHook("onResponse", async (request, reply) => {
      const labels = { method: request.method, route: request.routeOptions.url ?? UNMATCHED_ROUTE, status_class: statusClass(reply.statusCode) };
      this.requests.inc(labels);
      this.seconds.observe(labels, reply.elapsedTime / 1000);
    });
  }
}
