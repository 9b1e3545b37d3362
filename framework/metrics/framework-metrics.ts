import { Registry } from "prom-client";
import type { DatabaseRegistry } from "../database/database-registry";
import type { ModuleDatabase } from "../database/module-database";
import type { Scheduler } from "../scheduler/scheduler";
import { CacheMetrics } from "./cache-metrics";
import { DatabaseMetrics } from "./database-metrics";
import { HttpMetrics } from "./http-metrics";
import type { MetricsSettings } from "./metrics-settings";
import { processMetricsRegistry } from "./process-metrics";
import { registerSchedulerMetrics } from "./scheduler-metrics";
import { SlowStatementLog } from "./slow-statement-log";

/** One family in prom-client's JSON view. */
export interface MetricFamilyJson {
  readonly name: string;
  readonly help: string;
  readonly type: string;
  readonly values: readonly { readonly value: number; readonly labels: Readonly<Record<string, string | number>>; readonly metricName?: string }[];
}

/**
 * Everything one framework measures, in a Prometheus registry of its own (never prom-client's
 * global one, so several frameworks in one process keep their figures apart): its databases,
 * its HTTP API, its cache and its scheduler, plus the process-wide figures of the process.
 */
export class FrameworkMetrics {
  /** This framework's own families. */
  readonly registry = new Registry();
  readonly slowStatements: SlowStatementLog;
  readonly databases: DatabaseMetrics;
  readonly http: HttpMetrics;
  readonly cache: CacheMetrics;

  constructor(settings: MetricsSettings, databases: DatabaseRegistry, scheduler: Scheduler) {
    this.slowStatements = new SlowStatementLog(settings.slowQueryMs);
    this.databases = new DatabaseMetrics(this.registry, this.slowStatements, () => databases.list());
    this.http = new HttpMetrics(this.registry);
    this.cache = new CacheMetrics(this.registry);
    registerSchedulerMetrics(this.registry, () => scheduler.list());
    databases.onDatabase((database) => this.observe(database));
  }

  /** The content type of {@link render}'s text. */
  get contentType(): string {
    return this.registry.contentType;
  }

  /** Every family of this framework and of the process, in Prometheus text format. */
  async render(): Promise<string> {
    return Registry.merge([this.registry, processMetricsRegistry()]).metrics();
  }

  /** The same families as prom-client's JSON (name, type, help, values with labels). */
  async json(): Promise<MetricFamilyJson[]> {
    return (await Registry.merge([this.registry, processMetricsRegistry()]).getMetricsAsJSON()) as unknown as MetricFamilyJson[];
  }

  private observe(database: ModuleDatabase): void {
    this.databases.declare(database.name);
    database.activity.observe(this.databases);
  }
}
