import { rmSync } from "node:fs";
import path from "node:path";
import { bootFramework } from "../framework/boot/boot-framework";
import { renderTable } from "../framework/cli/output";
import { CrudService } from "../framework/crud/crud-service";
import { benchDir, formatRate, measureRate, REPO_ROOT, type BenchSuite } from "./suite";

const ROUNDS = 3;

function durationMs(): number {
  const value = Number(process.env.BENCH_DURATION_MS ?? "1000");
  return Number.isFinite(value) && value > 0 ? value : 1000;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/**
 * `npm run bench -- metrics`: what measuring costs on the statement path — a create and a get
 * through CrudService with the framework's metrics observing every statement, transaction and
 * gate wait, against the same framework with its observer detached from the ciap database,
 * in interleaved rounds of one run.
 */
export const metricsSuite: BenchSuite = {
  name: "metrics",
  description: `CrudService create + get with the metrics observer attached vs detached (${ROUNDS} interleaved rounds, median; BENCH_DURATION_MS each)`,
  async run() {
    const duration = durationMs();
    const dataDir = benchDir("bench-metrics");
    const framework = await bootFramework({ rootDir: path.join(REPO_ROOT, "dist"), dataDir });
    try {
      const crud = framework.resolve(CrudService);
      const ciap = framework.databases.get("ciap")._unsafeUnwrap();
      const observer = framework.metrics.databases;
      let next = 0;
      const operation = async () => {
        const created = await crud.create("ciap", "searches", { query: `metrics ${next++}` });
        if (created.isErr()) throw new Error(created.error.message);
        const read = await crud.get("ciap", "searches", created.value.id as number);
        if (read.isErr()) throw new Error(read.error.message);
      };
      const rates = { observed: [] as number[], unobserved: [] as number[] };
      for (let round = 0; round < ROUNDS; round += 1) {
        rates.observed.push(await measureRate(operation, duration));
        // `observe` hands back the way to stop observing; the observer is the one already attached.
        ciap.activity.observe(observer)();
        rates.unobserved.push(await measureRate(operation, duration));
        ciap.activity.observe(observer);
      }
      const observed = median(rates.observed);
      const unobserved = median(rates.unobserved);
      console.log(
        renderTable(
          ["metrics", "create + get", "vs unobserved"],
          [
            ["detached", formatRate(unobserved), "1.00×"],
            ["observed", formatRate(observed), `${(observed / unobserved).toFixed(2)}×`],
          ],
        ),
      );
    } finally {
      await framework.shutdown();
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
};
