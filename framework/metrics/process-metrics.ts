import { collectDefaultMetrics, Registry } from "prom-client";

/** Prefix of the process families (`moduledb_process_cpu_seconds_total`, `moduledb_nodejs_eventloop_lag_seconds`, ...). */
export const PROCESS_METRICS_PREFIX = "moduledb_";

let shared: Registry | undefined;

/**
 * prom-client's default process metrics (CPU, memory, heap, event-loop lag, GC, handles) in a
 * registry of their own, created once per process: they describe the process, not a framework,
 * and prom-client's collectors start monitors that are never stopped, so one set is enough for
 * every framework booted in the process.
 */
export function processMetricsRegistry(): Registry {
  if (shared === undefined) {
    shared = new Registry();
    collectDefaultMetrics({ register: shared, prefix: PROCESS_METRICS_PREFIX });
  }
  return shared;
}
