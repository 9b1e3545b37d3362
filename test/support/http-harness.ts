import Database from "better-sqlite3";
import type { FastifyInstance } from "fastify";
import { bootFramework, type Framework } from "../../framework";
import { buildServer, type BuildServerOptions } from "../../framework/http/build-server";
import { ServerState } from "../../framework/http/server-state";
import type { TempRoot } from "./temp-root";

/** A framework booted on a temp root with the API listening on a free loopback port. */
export interface ApiUnderTest {
  readonly framework: Framework;
  readonly app: FastifyInstance;
  readonly state: ServerState;
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** Closes the server, then the framework. */
  stop(): Promise<void>;
}

/** Boots `temp` (strictly when `boot.strict`) and listens on 127.0.0.1:0 (a real socket). */
export async function startApi(temp: TempRoot, options: Omit<BuildServerOptions, "state"> = {}, boot: { readonly strict?: boolean } = {}): Promise<ApiUnderTest> {
  const framework = await bootFramework({ rootDir: temp.root, dataDir: temp.dataDir, ...(boot.strict === undefined ? {} : { strict: boot.strict }) });
  const state = new ServerState();
  const app = buildServer(framework, { logDestination: { write: () => undefined }, ...options, state });
  await app.listen({ host: "127.0.0.1", port: 0 });
  const address = app.server.address();
  if (typeof address !== "object" || address === null) throw new Error("server did not report a port");
  return {
    framework,
    app,
    state,
    url: `http://127.0.0.1:${address.port}`,
    async stop() {
      try {
        await app.close();
      } finally {
        await framework.shutdown();
      }
    },
  };
}

/** A response as the tests look at it. */
export interface ApiResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /**
   * The parsed JSON body (undefined when the body is not JSON). Typed loosely on purpose: tests
   * assert on its shape, so a wrong guess fails the assertion rather than the compile.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- test-only view of arbitrary JSON.
  readonly body: any;
}

/** Options of {@link call}. */
export interface CallOptions {
  /** Sent as JSON. */
  readonly json?: unknown;
  /** Sent as is (with `contentType`, application/json by default). */
  readonly raw?: string | Buffer;
  readonly contentType?: string;
  readonly token?: string;
  readonly headers?: Record<string, string>;
}

/** One real HTTP request with fetch. */
export async function call(baseUrl: string, method: string, path: string, options: CallOptions = {}): Promise<ApiResponse> {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  let body: string | Buffer | undefined;
  if (options.json !== undefined) {
    headers["content-type"] = "application/json";
    body = JSON.stringify(options.json);
  } else if (options.raw !== undefined) {
    headers["content-type"] = options.contentType ?? "application/json";
    body = options.raw;
  }
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  const response = await fetch(`${baseUrl}${path}`, { method, headers, body: body as RequestInit["body"] });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: response.status, headers: response.headers, text, body: parsed };
}

/**
 * Every row of every table of a SQLite file, read through a separate read-only connection:
 * two snapshots are equal exactly when nothing in the database changed.
 */
export function snapshotDatabase(file: string): string {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const tables = (db.prepare("SELECT name, sql FROM sqlite_master WHERE type IN ('table', 'index') AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string; sql: string | null }[]);
    const rows = tables
      .filter((table) => table.sql?.startsWith("CREATE TABLE") === true)
      .map((table) => ({ table: table.name, rows: db.prepare(`SELECT * FROM "${table.name.replace(/"/g, '""')}" ORDER BY rowid`).all() }));
    return JSON.stringify({ schema: tables, rows });
  } finally {
    db.close();
  }
}
