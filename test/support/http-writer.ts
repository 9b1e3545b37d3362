/**
 * Keeps creating records through a server's HTTP API until stopped, and remembers every answer:
 * the ids it was acknowledged (201) and the status of every other response, so a test can check
 * that nothing acknowledged was lost and that no request ever got a 500.
 */
export interface HttpWriter {
  /** Stops the loop after the request in flight and returns what happened. */
  stop(): Promise<HttpWriterReport>;
  /** Acknowledged writes so far. */
  acknowledged(): number;
}

/** What a writer saw. */
export interface HttpWriterReport {
  readonly acked: number[];
  /** Count of responses per status code. */
  readonly statuses: Record<number, number>;
  /** Bodies of responses with status >= 500 other than 503, for the failure message. */
  readonly serverErrors: string[];
}

/** Starts writing `record(index)` to `POST <url>/api/v1/db/databases/<db>/tables/<table>/records` in a loop. */
export function startHttpWriter(url: string, database: string, table: string, record: (index: number) => Record<string, unknown>, pauseMs = 5): HttpWriter {
  const acked: number[] = [];
  const statuses: Record<number, number> = {};
  const serverErrors: string[] = [];
  let stopping = false;
  const loop = (async () => {
    for (let index = 0; !stopping; index += 1) {
      try {
        const response = await fetch(`${url}/api/v1/db/databases/${database}/tables/${table}/records`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(record(index)) });
        const text = await response.text();
        statuses[response.status] = (statuses[response.status] ?? 0) + 1;
        if (response.status === 201) acked.push(Number((JSON.parse(text) as { record: { id: number } }).record.id));
        else if (response.status >= 500 && response.status !== 503) serverErrors.push(text);
      } catch (error) {
        statuses[0] = (statuses[0] ?? 0) + 1;
        serverErrors.push(error instanceof Error ? error.message : String(error));
      }
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  })();
  return {
    acknowledged: () => acked.length,
    async stop() {
      stopping = true;
      await loop;
      return { acked, statuses, serverErrors };
    },
  };
}
