import { Counter, Gauge, type Registry } from "prom-client";
import type { ScheduledJob } from "../scheduler/scheduler";

/**
 * Runs, failures and last run time of each scheduler job, read from the scheduler when scraped.
 * Job names are the framework's and the modules' own constants, so the label set is bounded.
 */
export function registerSchedulerMetrics(registry: Registry, jobs: () => readonly ScheduledJob[]): void {
  const registers = [registry];
  new Counter({
    name: "moduledb_scheduler_job_runs_total",
    help: "Completed runs of each background job.",
    labelNames: ["job"],
    registers,
    collect() {
      this.reset();
      for (const job of jobs()) this.inc({ job: job.name }, job.runs);
    },
  });
  new Counter({
    name: "moduledb_scheduler_job_failures_total",
    help: "Runs of each background job that threw.",
    labelNames: ["job"],
    registers,
    collect() {
      this.reset();
      for (const job of jobs()) this.inc({ job: job.name }, job.failures);
    },
  });
  new Gauge({
    name: "moduledb_scheduler_job_last_duration_seconds",
    help: "How long the last completed run of each background job took.",
    labelNames: ["job"],
    registers,
    collect() {
      this.reset();
      for (const job of jobs()) if (job.lastDurationMs !== undefined) this.set({ job: job.name }, job.lastDurationMs / 1000);
    },
  });
}
