import { spawn } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { bootFramework } from "../framework/boot/boot-framework";
import { renderTable } from "../framework/cli/output";
import { CrudService } from "../framework/crud/crud-service";
import type { Page } from "../framework/crud/crud-types";
import { exportRecords, exportStream } from "../framework/crud/transfer/export-records";
import { benchDir, REPO_ROOT, type BenchSuite } from "./suite";
import { sqliteConnection } from "../framework/engines/sqlite/sqlite-connection";

const TABLE = "search_results";
const SOURCES = ["google", "bing", "duckduckgo", "brave", "yandex"];

function envNumber(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? String(fallback));
  return Number.isFinite(value) && value > 0 ? Math.floor(value) : fallback;
}

/** Median milliseconds of `rounds` runs of `work`. */
async function medianMs(work: () => Promise<unknown> | unknown, rounds = 15): Promise<number> {
  const times: number[] = [];
  for (let round = 0; round < rounds; round += 1) {
    const started = performance.now();
    await work();
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)] ?? 0;
}

function unwrap<T>(result: { isErr(): boolean; value?: T; error?: { message: string } }): T {
  if (result.isErr()) throw new Error(result.error?.message);
  return result.value as T;
}

/** Samples RSS every 20 ms while `work` runs; the peak in MiB. */
async function peakRss<T>(work: () => Promise<T>): Promise<{ result: T; peakMiB: number }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  try {
    const result = await work();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { result, peakMiB: peak / 1_048_576 };
  } finally {
    clearInterval(timer);
  }
}

/** Peak RSS (VmHWM, MiB) of a child process, polled from /proc while it runs; null where /proc is absent. */
function childPeakRss(pid: number | undefined, onPeak: (mib: number) => void): NodeJS.Timeout {
  return setInterval(() => {
    try {
      const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
      if (match !== null) onPeak(Number(match[1]) / 1024);
    } catch {
      // The process has exited, or this is not Linux.
    }
  }, 20);
}

/** `moduledb export` in its own process (stdout counted and discarded): rows/s and that process's peak RSS. */
async function exportInChild(dataDir: string, rows: number, args: readonly string[] = ["export", "ciap", TABLE]): Promise<{ rowsPerSecond: number; peakMiB: number | null; bytes: number }> {
  const started = performance.now();
  const child = spawn(process.execPath, [path.join(REPO_ROOT, "bin", "moduledb.js"), ...args, "--root", path.join(REPO_ROOT, "dist"), "--data", dataDir], { stdio: ["ignore", "pipe", "inherit"] });
  let peak: number | null = null;
  const timer = childPeakRss(child.pid, (mib) => (peak = Math.max(peak ?? 0, mib)));
  let bytes = 0;
  child.stdout.on("data", (chunk: Buffer) => (bytes += chunk.length));
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  clearInterval(timer);
  if (code !== 0) throw new Error(`moduledb export exited with ${code}`);
  return { rowsPerSecond: (rows / (performance.now() - started)) * 1000, peakMiB: peak, bytes };
}

/** A sink that counts bytes and throws them away, at the pace of a fast client. */
function nullSink(counter: { bytes: number }): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      counter.bytes += chunk.length;
      done();
    },
  });
}

/**
 * `npm run bench -- query`: the query language on a table of BENCH_QUERY_ROWS rows (1 000 000 by
 * default): a keyset page at depth 1M against an offset page, export throughput and peak RSS,
 * import rows/s and an aggregate over the whole table, each beside the same work in raw SQL on the
 * same connection, in the same run.
 */
export const querySuite: BenchSuite = {
  name: "query",
  description: "cursor vs offset page at depth 1M, export rows/s + peak RSS, import rows/s, aggregate over 1M rows; raw SQL beside each",
  async run() {
    const rows = envNumber("BENCH_QUERY_ROWS", 1_000_000);
    const importRows = envNumber("BENCH_IMPORT_ROWS", 200_000);
    const dataDir = benchDir("bench-query");
    const framework = await bootFramework({ rootDir: path.join(REPO_ROOT, "dist"), dataDir });
    try {
      const crud = framework.resolve(CrudService);
      const db = unwrap(framework.databases.get("ciap"));
      const sqlite = sqliteConnection(db);
      const insert = sqlite.prepare(`INSERT INTO ${TABLE} (source, title, url, position, sentiment_score, scraped_at) VALUES (?, ?, ?, ?, ?, datetime('now'))`);
      sqlite.transaction(() => {
        for (let i = 0; i < rows; i += 1) insert.run(SOURCES[i % SOURCES.length], `result ${i}`, `https://example.com/${i}`, i % 100, (i % 1000) / 10);
      })();
      const figures: string[][] = [];

      // Keyset vs offset: walk to the deepest cursor once, then time single pages.
      let cursor: string | null = null;
      let deepest: string | null = null;
      do {
        const page: Page = unwrap(await crud.list("ciap", TABLE, { pageSize: 1000, count: "none", ...(cursor === null ? {} : { cursor }) }));
        if (page.nextCursor !== null) deepest = page.nextCursor;
        cursor = page.nextCursor;
      } while (cursor !== null);
      const lastPage = Math.ceil(rows / 50);
      const firstMs = await medianMs(async () => unwrap(await crud.list("ciap", TABLE, { pageSize: 50, count: "none" })));
      const cursorMs = await medianMs(async () => unwrap(await crud.list("ciap", TABLE, { pageSize: 50, count: "none", cursor: deepest as string })));
      const offsetMs = await medianMs(async () => unwrap(await crud.list("ciap", TABLE, { pageSize: 50, page: lastPage, count: "none" })), 5);
      const rawKeyset = sqlite.prepare(`SELECT * FROM ${TABLE} WHERE id > ? ORDER BY id LIMIT 51`);
      const rawOffset = sqlite.prepare(`SELECT * FROM ${TABLE} ORDER BY id LIMIT 50 OFFSET ?`);
      const rawKeysetMs = await medianMs(() => rawKeyset.all(rows - 1000));
      const rawOffsetMs = await medianMs(() => rawOffset.all((lastPage - 1) * 50), 5);
      figures.push(["page 1 (50 rows), CrudService", `${firstMs.toFixed(2)} ms`, ""]);
      figures.push([`cursor page at depth ${rows}`, `${cursorMs.toFixed(2)} ms (${(cursorMs / firstMs).toFixed(2)}× page 1)`, `${rawKeysetMs.toFixed(2)} ms`]);
      figures.push([`offset page ${lastPage}`, `${offsetMs.toFixed(2)} ms (${(offsetMs / cursorMs).toFixed(0)}× the cursor page)`, `${rawOffsetMs.toFixed(2)} ms`]);

      // Aggregate over the whole table.
      const rawAggregate = sqlite.prepare(`SELECT source, COUNT(*), AVG(sentiment_score) FROM ${TABLE} GROUP BY source ORDER BY source`);
      rawAggregate.all();
      const rawAggregateMs = await medianMs(() => rawAggregate.all(), 5);
      const aggregateMs = await medianMs(async () => unwrap(await crud.aggregate("ciap", TABLE, { groupBy: ["source"], count: true, avg: ["sentiment_score"] })), 5);
      figures.push([`aggregate count+avg by source over ${rows} rows`, `${aggregateMs.toFixed(0)} ms`, `${rawAggregateMs.toFixed(0)} ms`]);

      // Export: NDJSON to a sink, with peak RSS of this process.
      global.gc?.();
      const baseline = process.memoryUsage().rss / 1_048_576;
      const counter = { bytes: 0 };
      const exported = await peakRss(async () => {
        const started = performance.now();
        const { columns, batches } = unwrap(await exportRecords(crud, "ciap", TABLE, {}));
        await pipeline(exportStream(columns, batches, "ndjson"), nullSink(counter));
        return performance.now() - started;
      });
      const rawExport = await peakRss(async () => {
        const started = performance.now();
        let bytes = 0;
        for (const row of sqlite.prepare(`SELECT * FROM ${TABLE} ORDER BY id`).iterate()) bytes += JSON.stringify(row).length + 1;
        return { ms: performance.now() - started, bytes };
      });
      figures.push([
        `export ${rows} rows NDJSON (${(counter.bytes / 1_048_576).toFixed(0)} MiB)`,
        `${((rows / exported.result) * 1000).toFixed(0)} rows/s, peak RSS ${exported.peakMiB.toFixed(0)} MiB (before: ${baseline.toFixed(0)} MiB)`,
        `${((rows / rawExport.result.ms) * 1000).toFixed(0)} rows/s (iterate + JSON.stringify)`,
      ]);

      // The same export as a user runs it: its own process, whose whole RSS is the figure.
      const child = await exportInChild(dataDir, rows);
      // What the CLI process takes before it reads a single row: boot, every module, TypeORM.
      const idle = await exportInChild(dataDir, 1, ["export", "ciap", TABLE, "--filter", '{"id":{"eq":1}}']);
      figures.push([
        `moduledb export (own process) ${rows} rows`,
        `${child.rowsPerSecond.toFixed(0)} rows/s, peak RSS ${child.peakMiB === null ? "n/a" : `${(child.peakMiB as number).toFixed(0)} MiB`} (${(child.bytes / 1_048_576).toFixed(0)} MiB written)`,
        `same command exporting 1 row: peak RSS ${idle.peakMiB === null ? "n/a" : `${(idle.peakMiB as number).toFixed(0)} MiB`}`,
      ]);

      // Import: generated rows through importRecords (validated, one transaction) vs a prepared INSERT loop.
      async function* generated(): AsyncGenerator<Record<string, unknown>> {
        for (let i = 0; i < importRows; i += 1) yield { source: SOURCES[i % SOURCES.length], title: `imported ${i}`, position: i % 100 };
      }
      const importStarted = performance.now();
      unwrap(await crud.importRecords("ciap", TABLE, generated()));
      const importMs = performance.now() - importStarted;
      const rawInsert = sqlite.prepare(`INSERT INTO ${TABLE} (source, title, position, scraped_at) VALUES (?, ?, ?, datetime('now'))`);
      const rawStarted = performance.now();
      sqlite.transaction(() => {
        for (let i = 0; i < importRows; i += 1) rawInsert.run(SOURCES[i % SOURCES.length], `raw ${i}`, i % 100);
      })();
      const rawImportMs = performance.now() - rawStarted;
      figures.push([`import ${importRows} rows (one transaction)`, `${((importRows / importMs) * 1000).toFixed(0)} rows/s`, `${((importRows / rawImportMs) * 1000).toFixed(0)} rows/s`]);

      console.log(renderTable(["measurement", "moduledb", "raw SQL (same connection, same run)"], figures));
    } finally {
      await framework.shutdown();
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
};
