import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bootFramework, type Framework } from "../../../framework";
import { buildServer } from "../../../framework/http/build-server";
import { elideSqlValues } from "../../../framework/metrics/slow-statement-log";
import { call } from "../../support/http-harness";
import { parsePrometheusText, sumOf } from "../../support/prometheus-text";
import { createTempRoot } from "../../support/temp-root";
import { writeAccountsModule } from "../http/fixtures";

const temp = createTempRoot("slow-statements");
writeAccountsModule(temp);
const saved = { ...process.env };
const lines: Record<string, unknown>[] = [];
let framework: Framework;
let app: ReturnType<typeof buildServer>;
let url: string;

// Counts to a few million in SQLite itself: hundreds of milliseconds on any machine, no table needed.
const SLOW_CTE = "WITH RECURSIVE counter(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM counter WHERE x < ?) SELECT count(*) AS n FROM counter";

beforeAll(async () => {
  process.env.SLOW_QUERY_MS = "100";
  framework = await bootFramework({ rootDir: temp.root, dataDir: temp.dataDir });
  app = buildServer(framework, { logDestination: { write: (line) => void lines.push(JSON.parse(line) as Record<string, unknown>) } });
  // Any route's database work is attributed to its request: here, one that runs a slow statement.
  app.get("/test/slow", async () => {
    const database = framework.databases.get("accounts")._unsafeUnwrap();
    const rows = (await database.dataSource.query(SLOW_CTE, [3_000_000])) as { n: number }[];
    return { n: rows[0]?.n };
  });
  // A body is read in the socket's callbacks: the request context must survive that too.
  app.post<{ Body: { limit: number; padding?: string } }>("/test/slow", async (request) => {
    const database = framework.databases.get("accounts")._unsafeUnwrap();
    const rows = (await database.dataSource.query(SLOW_CTE, [request.body.limit])) as { n: number }[];
    return { n: rows[0]?.n };
  });
  await app.listen({ host: "127.0.0.1", port: 0 });
  const address = app.server.address();
  url = `http://127.0.0.1:${typeof address === "object" && address !== null ? address.port : 0}`;
});
afterAll(async () => {
  process.env = saved;
  await app?.close();
  await framework?.shutdown();
  temp.remove();
});

describe("slow-statement log", () => {
  it("logs a slow statement once, with its database, SQL without values, duration and request id, and counts it", async () => {
    const before = sumOf(parsePrometheusText((await call(url, "GET", "/metrics")).text), "moduledb_slow_statements_total", { database: "accounts" });
    const response = await call(url, "GET", "/test/slow", { headers: { "x-request-id": "slow-request-1" } });
    expect(response.status).toBe(200);
    expect(response.body.n).toBe(3_000_000);

    const slow = lines.filter((line) => line.msg === "slow statement").map((line) => line.slow_statement as Record<string, unknown>);
    const cte = slow.filter((statement) => String(statement.sql).startsWith("WITH RECURSIVE counter"));
    expect(cte).toHaveLength(1);
    expect(cte[0]).toMatchObject({ database: "accounts", request_id: "slow-request-1", outcome: "ok" });
    expect(cte[0]?.sql).toBe("WITH RECURSIVE counter(x) AS (SELECT ? UNION ALL SELECT x + ? FROM counter WHERE x < ?) SELECT count(*) AS n FROM counter");
    expect(Number(cte[0]?.duration_ms)).toBeGreaterThanOrEqual(100);
    expect(JSON.stringify(cte[0])).not.toContain("3000000");

    const after = sumOf(parsePrometheusText((await call(url, "GET", "/metrics")).text), "moduledb_slow_statements_total", { database: "accounts" });
    expect(after - before).toBeGreaterThanOrEqual(1);
    expect(after - before).toBe(slow.filter((statement) => statement.database === "accounts").length);
  });

  it("names the request of a POST whose body was read first", async () => {
    // Large enough to arrive in several chunks, each read in a socket callback.
    const response = await call(url, "POST", "/test/slow", { json: { limit: 2_500_000, padding: "x".repeat(900_000) }, headers: { "x-request-id": "slow-post-1" } });
    expect(response.status).toBe(200);
    const slow = lines.filter((line) => line.msg === "slow statement").map((line) => line.slow_statement as Record<string, unknown>);
    expect(slow.filter((statement) => statement.request_id === "slow-post-1")).toHaveLength(1);
  });

  it("outside a request the line has no request id (and goes to stderr without a server)", async () => {
    const database = framework.databases.get("accounts")._unsafeUnwrap();
    const seen: unknown[] = [];
    const restore = framework.metrics.slowStatements.useSink((statement) => seen.push(statement));
    try {
      await database.dataSource.query(SLOW_CTE, [3_000_000]);
    } finally {
      restore();
    }
    expect(seen).toEqual([expect.objectContaining({ database: "accounts", request_id: null })]);
  });

  it("elides literal values written into the SQL text", () => {
    expect(elideSqlValues("SELECT * FROM t1 WHERE name = 'O''Brien' AND x > 42 AND y = -3.5e2 AND b = X'00ff' AND c = ?")).toBe("SELECT * FROM t1 WHERE name = ? AND x > ? AND y = ? AND b = ? AND c = ?");
    expect(elideSqlValues("SELECT \"col2\", t.c3 FROM \"table9\" t")).toBe('SELECT "col2", t.c3 FROM "table9" t');
  });
});
