import type { MetricFamilyJson } from "./framework-metrics";

/** One database in a `moduledb top` snapshot. */
export interface DatabaseFigures {
  name: string;
  ready: boolean;
  statements: number;
  statement_errors: number;
  /** 95th percentile of statement time, in milliseconds, estimated from the histogram buckets (null: none yet). */
  statement_p95_ms: number | null;
  transactions_committed: number;
  transactions_rolled_back: number;
  transactions_failed: number;
  gate_wait_p95_ms: number | null;
  gate_queue: number;
  lock_retries: number;
  database_locked: number;
  slow_statements: number;
  file_bytes: number;
  wal_bytes: number;
  /** ISO time of the last complete checkpoint this process ran (null: none yet). */
  last_checkpoint: string | null;
}

/** What `moduledb top` shows: every database, the API, the cache and the process, at one moment. */
export interface TopSnapshot {
  at: string;
  /** Where the figures come from: the serving process (`server`) or this process reading the files (`direct`). */
  source: { kind: "server"; url: string; pid: number } | { kind: "direct" };
  databases: DatabaseFigures[];
  http: { requests: number; errors_5xx: number; p95_ms: number | null };
  cache: { backend: string; hits: number; misses: number; errors: number }[];
  process: { event_loop_lag_ms: number | null; heap_used_bytes: number | null; resident_bytes: number | null };
}

type Labels = Readonly<Record<string, string | number>>;

class Families {
  private readonly byName: Map<string, MetricFamilyJson>;

  constructor(families: readonly MetricFamilyJson[]) {
    this.byName = new Map(families.map((family) => [family.name, family]));
  }

  /** Sum of the values of `name` (a histogram's samples named `sample`) whose labels include `match`. */
  sum(name: string, match: Labels = {}, sample?: string): number {
    return (this.byName.get(name)?.values ?? [])
      .filter((value) => (sample === undefined || value.metricName === sample) && Object.entries(match).every(([key, wanted]) => String(value.labels[key]) === String(wanted)))
      .reduce((total, value) => total + (Number.isFinite(value.value) ? value.value : 0), 0);
  }

  /** One value, or null when the series is absent or not a number. */
  single(name: string, match: Labels = {}): number | null {
    const found = (this.byName.get(name)?.values ?? []).find((value) => Object.entries(match).every(([key, wanted]) => String(value.labels[key]) === String(wanted)));
    return found === undefined || !Number.isFinite(found.value) ? null : found.value;
  }

  /** Distinct values of a label across a family. */
  labelValues(name: string, label: string): string[] {
    return [...new Set((this.byName.get(name)?.values ?? []).map((value) => value.labels[label]).filter((value) => value !== undefined).map(String))].sort();
  }

  /**
   * A quantile of a histogram in milliseconds: the upper bound of the first bucket holding the
   * quantile's observation (bucket counts summed over the series matching `match`).
   */
  quantileMs(name: string, quantile: number, match: Labels = {}): number | null {
    const buckets = new Map<number, number>();
    for (const value of this.byName.get(name)?.values ?? []) {
      if (value.metricName !== `${name}_bucket` || !Object.entries(match).every(([key, wanted]) => String(value.labels[key]) === String(wanted))) continue;
      const bound = value.labels.le === "+Inf" ? Number.POSITIVE_INFINITY : Number(value.labels.le);
      buckets.set(bound, (buckets.get(bound) ?? 0) + value.value);
    }
    const ordered = [...buckets.entries()].sort(([a], [b]) => a - b);
    const total = ordered.at(-1)?.[1] ?? 0;
    if (total === 0) return null;
    const wanted = total * quantile;
    const bucket = ordered.find(([, count]) => count >= wanted);
    if (bucket === undefined || !Number.isFinite(bucket[0])) return ordered.length > 1 ? (ordered.at(-2)?.[0] ?? 0) * 1000 : null;
    return bucket[0] * 1000;
  }
}

/** Builds a {@link TopSnapshot} from the JSON view of `/metrics` (`?format=json` or `FrameworkMetrics.json()`). */
export function topSnapshot(json: readonly MetricFamilyJson[], source: TopSnapshot["source"], at = new Date()): TopSnapshot {
  const families = new Families(json);
  const names = families.labelValues("moduledb_database_ready", "database");
  const databases = names.map((name): DatabaseFigures => {
    const database = { database: name };
    const checkpoint = families.single("moduledb_database_last_checkpoint_timestamp_seconds", database);
    return {
      name,
      ready: families.single("moduledb_database_ready", database) === 1,
      statements: families.sum("moduledb_statements_total", database),
      statement_errors: families.sum("moduledb_statements_total", { ...database, outcome: "error" }),
      statement_p95_ms: families.quantileMs("moduledb_statement_duration_seconds", 0.95, database),
      transactions_committed: families.sum("moduledb_transactions_total", { ...database, outcome: "committed" }),
      transactions_rolled_back: families.sum("moduledb_transactions_total", { ...database, outcome: "rolled_back" }),
      transactions_failed: families.sum("moduledb_transactions_total", { ...database, outcome: "failed" }),
      gate_wait_p95_ms: families.quantileMs("moduledb_gate_wait_seconds", 0.95, database),
      gate_queue: families.sum("moduledb_gate_queue_length", database),
      lock_retries: families.sum("moduledb_lock_retries_total", database),
      database_locked: families.sum("moduledb_database_locked_total", database),
      slow_statements: families.sum("moduledb_slow_statements_total", database),
      file_bytes: families.sum("moduledb_database_file_bytes", database),
      wal_bytes: families.sum("moduledb_database_wal_bytes", database),
      last_checkpoint: checkpoint === null ? null : new Date(checkpoint * 1000).toISOString(),
    };
  });
  return {
    at: at.toISOString(),
    source,
    databases,
    http: {
      requests: families.sum("moduledb_http_requests_total"),
      errors_5xx: families.sum("moduledb_http_requests_total", { status_class: "5xx" }),
      p95_ms: families.quantileMs("moduledb_http_request_duration_seconds", 0.95),
    },
    cache: families.labelValues("moduledb_cache_hits_total", "backend").map((backend) => ({
      backend,
      hits: families.sum("moduledb_cache_hits_total", { backend }),
      misses: families.sum("moduledb_cache_misses_total", { backend }),
      errors: families.sum("moduledb_cache_errors_total", { backend }),
    })),
    process: {
      event_loop_lag_ms: nullableMs(families.single("moduledb_nodejs_eventloop_lag_p99_seconds")),
      heap_used_bytes: families.single("moduledb_nodejs_heap_size_used_bytes"),
      resident_bytes: families.single("moduledb_process_resident_memory_bytes"),
    },
  };
}

function nullableMs(seconds: number | null): number | null {
  return seconds === null ? null : seconds * 1000;
}
