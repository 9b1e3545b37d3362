import { currentRequestContext } from "../runtime/request-context";
import type { StatementEvent } from "./database-activity";

/** Longest SQL text a slow-statement line carries; the rest is cut (with a marker). */
export const MAX_LOGGED_SQL_LENGTH = 2_000;

/** One slow statement as it is logged. */
export interface SlowStatement {
  readonly database: string;
  /** The SQL text with every literal value replaced by `?` (bound parameters never appear). */
  readonly sql: string;
  readonly duration_ms: number;
  readonly outcome: StatementEvent["outcome"];
  /** The HTTP request the statement served; null outside a request. */
  readonly request_id: string | null;
}

/** Where slow statements are written: the API's request log while a server runs, stderr otherwise. */
export type SlowStatementSink = (statement: SlowStatement) => void;

// Quoted strings (with doubled quotes inside), blob literals and free-standing numbers.
const STRING_LITERAL = /'(?:[^']|'')*'/g;
const BLOB_LITERAL = /\b[xX]'[0-9a-fA-F]*'/g;
const NUMBER_LITERAL = /(?<![\w$."`\]])[-+]?\b\d+(?:\.\d+)?(?:[eE][-+]?\d+)?\b(?![\w$])/g;

/**
 * The SQL text with values elided: bound parameters are never part of the text, and literals
 * written into it (raw SQL may inline them) become `?`, so a log line cannot carry a value.
 */
export function elideSqlValues(sql: string): string {
  const elided = sql.replace(BLOB_LITERAL, "?").replace(STRING_LITERAL, "?").replace(NUMBER_LITERAL, "?").replace(/\s+/g, " ").trim();
  return elided.length <= MAX_LOGGED_SQL_LENGTH ? elided : `${elided.slice(0, MAX_LOGGED_SQL_LENGTH)}…`;
}

/** Writes one JSON line to stderr: what a process without an API server logs. */
export const STDERR_SINK: SlowStatementSink = (statement) => {
  process.stderr.write(`${JSON.stringify({ level: "warn", time: new Date().toISOString(), msg: "slow statement", ...statement })}\n`);
};

/**
 * Decides which statements are slow and writes each of them once, with the request id of the
 * work it served (read from the request context, so nothing has to pass the id down).
 */
export class SlowStatementLog {
  private sink: SlowStatementSink = STDERR_SINK;

  /** `thresholdMs` 0 turns the log off. */
  constructor(readonly thresholdMs: number) {}

  /** Sends slow statements to `sink` until the returned function restores the previous sink. */
  useSink(sink: SlowStatementSink): () => void {
    const previous = this.sink;
    this.sink = sink;
    return () => {
      if (this.sink === sink) this.sink = previous;
    };
  }

  /** True when the statement is slow; then it has been written to the sink. */
  consider(event: StatementEvent): boolean {
    const durationMs = event.executionSeconds * 1000;
    if (this.thresholdMs === 0 || durationMs < this.thresholdMs) return false;
    const statement: SlowStatement = {
      database: event.database,
      sql: elideSqlValues(event.sql),
      duration_ms: Math.round(durationMs * 10) / 10,
      outcome: event.outcome,
      request_id: currentRequestContext()?.requestId ?? null,
    };
    try {
      this.sink(statement);
    } catch {
      // A log that cannot be written must not fail the statement.
    }
    return true;
  }
}
