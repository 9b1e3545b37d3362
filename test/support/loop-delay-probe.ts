/**
 * Preloaded into a server process (`node -r dist/test/support/loop-delay-probe.js …/main.js`):
 * measures how long that process' event loop goes without a turn, and, on SIGUSR2, prints
 * `loop-delay {"max_ms":…,"p99_ms":…,"samples":…,"max_cpu_ms":…}` on stdout and starts afresh.
 *
 * - `max_ms`/`p99_ms`: `perf_hooks.monitorEventLoopDelay`, wall-clock. On a loaded machine this
 *   includes the time the OS did not run the process at all.
 * - `max_cpu_ms`: the most CPU time the process used between two ticks of a 5 ms timer, i.e. the
 *   longest stretch of work done without letting the loop turn, which the OS's scheduling does not
 *   inflate (a descheduled process uses no CPU).
 */
import { monitorEventLoopDelay } from "node:perf_hooks";

const histogram = monitorEventLoopDelay({ resolution: 5 });
histogram.enable();
let maxCpuMs = 0;
let lastCpu = process.cpuUsage();
setInterval(() => {
  const used = process.cpuUsage(lastCpu);
  lastCpu = process.cpuUsage();
  maxCpuMs = Math.max(maxCpuMs, (used.user + used.system) / 1000);
}, 5).unref();

process.on("SIGUSR2", () => {
  const report = { max_ms: histogram.max / 1e6, p99_ms: histogram.percentile(99) / 1e6, samples: histogram.count, max_cpu_ms: maxCpuMs };
  process.stdout.write(`loop-delay ${JSON.stringify(report)}\n`);
  histogram.reset();
  maxCpuMs = 0;
  lastCpu = process.cpuUsage();
});
