import type { DatabaseFigures, TopSnapshot } from "../metrics/top-snapshot";
import { formatBytes } from "./command-helpers";
import { renderTable } from "./output";

function rate(current: number, previous: number | undefined, seconds: number): string {
  if (previous === undefined || seconds <= 0) return "-";
  return (Math.max(0, current - previous) / seconds).toFixed(1);
}

function ms(value: number | null): string {
  if (value === null) return "-";
  return value < 1 ? `${value.toFixed(2)}` : value < 100 ? value.toFixed(1) : value.toFixed(0);
}

function age(iso: string | null, now: number): string {
  if (iso === null) return "never";
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  return seconds < 120 ? `${seconds}s ago` : `${Math.round(seconds / 60)}m ago`;
}

/**
 * The text `moduledb top` shows: one row per database (rates per second against the previous
 * snapshot, when there is one), then the API, the cache and the process.
 */
export function renderTop(snapshot: TopSnapshot, previous?: TopSnapshot): string {
  const now = Date.parse(snapshot.at);
  const seconds = previous === undefined ? 0 : (now - Date.parse(previous.at)) / 1000;
  const before = new Map<string, DatabaseFigures>((previous?.databases ?? []).map((database) => [database.name, database]));
  const source = snapshot.source.kind === "server" ? `server pid ${snapshot.source.pid} at ${snapshot.source.url}` : "read directly (no server holds these databases: activity counts are this process' own)";
  const header = `moduledb top — ${snapshot.at} — ${source}${previous === undefined ? "" : " — q or Ctrl-C quits"}`;
  const databases = renderTable(
    ["database", "state", "stmt/s", "stmt p95 ms", "errors", "commit/s", "rollback", "failed", "gate p95 ms", "queue", "retries", "LOCKED", "slow", "size", "wal", "checkpoint"],
    snapshot.databases.map((database) => {
      const earlier = before.get(database.name);
      return [
        database.name,
        database.ready ? "ready" : "NOT READY",
        rate(database.statements, earlier?.statements, seconds),
        ms(database.statement_p95_ms),
        database.statement_errors,
        rate(database.transactions_committed, earlier?.transactions_committed, seconds),
        database.transactions_rolled_back,
        database.transactions_failed,
        ms(database.gate_wait_p95_ms),
        database.gate_queue,
        database.lock_retries,
        database.database_locked,
        database.slow_statements,
        formatBytes(database.file_bytes),
        formatBytes(database.wal_bytes),
        age(database.last_checkpoint, now),
      ];
    }),
  );
  const http = `http: ${snapshot.http.requests} requests (${rate(snapshot.http.requests, previous?.http.requests, seconds)}/s), ${snapshot.http.errors_5xx} 5xx, p95 ${ms(snapshot.http.p95_ms)} ms`;
  const cache = snapshot.cache.map((entry) => {
    const reads = entry.hits + entry.misses;
    return `cache ${entry.backend}: ${entry.hits} hits, ${entry.misses} misses${reads === 0 ? "" : ` (${((entry.hits / reads) * 100).toFixed(0)}% hit)`}, ${entry.errors} errors`;
  });
  const { process } = snapshot;
  const processLine = `process: event-loop lag p99 ${ms(process.event_loop_lag_ms)} ms, heap ${process.heap_used_bytes === null ? "-" : formatBytes(process.heap_used_bytes)}, rss ${process.resident_bytes === null ? "-" : formatBytes(process.resident_bytes)}`;
  return [header, "", databases, "", http, ...cache, processLine].join("\n");
}
