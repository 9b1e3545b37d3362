import Database from "better-sqlite3";
import { call } from "./http-harness";

/** The create route of ciap's `searches` table, which every fault test writes to. */
export const SEARCHES = "/api/v1/db/databases/ciap/tables/searches/records";

/** One answer the load got: its HTTP status and API error code (or `201`). */
function outcomeKey(status: number, body: { error?: { code?: string } } | undefined): string {
  return body?.error?.code === undefined ? String(status) : `${status} ${body.error.code}`;
}

/**
 * HTTP write load on a running server: `concurrency` writers POST ciap searches, one after another,
 * until stopped. Everything answered is counted; every 201 is remembered with the id and query the
 * server acknowledged and the moment it arrived, so a test can check afterwards that each is in
 * the file and say how long recovery took.
 */
export class WriteLoad {
  /** id → query of every acknowledged (201) write. */
  readonly acknowledged = new Map<number, string>();
  /** `performance.now()` of each acknowledgement, in arrival order. */
  readonly acknowledgedAt: number[] = [];
  /** Answers by `status code`, e.g. `201`, `507 DISK_FULL`, `fetch failed`. */
  readonly outcomes = new Map<string, number>();
  private running = true;
  private next = 0;
  private readonly workers: Promise<void>[];

  constructor(
    private readonly url: string,
    private readonly token: string,
    concurrency: number,
    private readonly label: string,
    /** Characters of padding in each query (the column is varchar(500)). */
    private readonly padding = 300,
  ) {
    this.workers = Array.from({ length: concurrency }, () => this.work());
  }

  /** How often `key` was answered so far. */
  count(key: string): number {
    return this.outcomes.get(key) ?? 0;
  }

  /** Resolves once `condition` holds (checked every 20 ms); rejects with the outcomes after `timeoutMs`. */
  async until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    while (!condition()) {
      if (performance.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs} ms; outcomes so far: ${JSON.stringify(Object.fromEntries(this.outcomes))}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** Stops the writers and waits for their last requests. */
  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.workers);
  }

  private async work(): Promise<void> {
    while (this.running) {
      const query = `${this.label}-${this.next++}-${"q".repeat(this.padding)}`;
      let key: string;
      try {
        const response = await call(this.url, "POST", SEARCHES, { json: { query, sources: ["fault-suite"] }, token: this.token });
        key = outcomeKey(response.status, response.body);
        if (response.status === 201) {
          this.acknowledged.set(response.body.record.id as number, response.body.record.query as string);
          this.acknowledgedAt.push(performance.now());
        }
      } catch (error) {
        key = error instanceof Error ? error.message : String(error);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      this.outcomes.set(key, (this.outcomes.get(key) ?? 0) + 1);
    }
  }
}

/** What the file holds after the server stopped: each search's query by id, and integrity_check. */
export function inspectSearches(file: string): { queries: Map<number, string>; integrity: string[] } {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const queries = new Map((db.prepare("SELECT id, query FROM searches").all() as { id: number; query: string }[]).map((row) => [row.id, row.query]));
    const integrity = (db.pragma("integrity_check") as { integrity_check: string }[]).map((row) => row.integrity_check);
    return { queries, integrity };
  } finally {
    db.close();
  }
}

/** Acknowledged writes missing from (or different in) the file. */
export function lostWrites(acknowledged: ReadonlyMap<number, string>, stored: ReadonlyMap<number, string>): number[] {
  return [...acknowledged].filter(([id, query]) => stored.get(id) !== query).map(([id]) => id);
}
