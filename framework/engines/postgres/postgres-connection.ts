import { Client, type ClientConfig } from "pg";
import type { PostgresSettings } from "../../config/settings";
import type { PostgresTarget } from "../engine-targets";

/** The schema database `name` lives in: the URL's `?schema=`, else the `DATABASE_NAME` itself. */
export function schemaOf(target: PostgresTarget, name: string): string {
  return target.schema ?? name;
}

/** `"name"` with inner quotes doubled. */
export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** The connection string without the `schema` parameter, which is the framework's, not the server's. */
function serverUrl(target: PostgresTarget): string {
  const url = new URL(target.url);
  url.searchParams.delete("schema");
  return url.toString();
}

/**
 * How every connection to database `schema` is made: the URL (password included — it goes to the
 * driver only), `search_path` set to the module's schema at connection start so unqualified names
 * (TypeORM's and raw SQL's alike) resolve there, the server-side statement timeout, a client-side
 * read timeout a little longer (so a server that vanished without closing the socket is noticed
 * too), and the connect timeout.
 */
export function connectionConfig(target: PostgresTarget, schema: string, settings: PostgresSettings): ClientConfig {
  const timeout = settings.statementTimeoutMs;
  return {
    connectionString: serverUrl(target),
    // UTC: timestamp text bound by raw SQL (the framework's stored form has no zone) means UTC on every engine.
    options: `-c search_path=${quoteIdentifier(schema)} -c TimeZone=UTC`,
    connectionTimeoutMillis: settings.connectTimeoutMs,
    keepAlive: true,
    application_name: `moduledb:${schema}`,
    ...(timeout > 0 ? { statement_timeout: timeout, query_timeout: timeout + 2_000 } : {}),
  };
}

/** Runs `work` on a connection of its own, closed afterwards whatever happens. */
export async function withClient<T>(config: ClientConfig, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client(config);
  // A server going away mid-work is reported by the failing query; the event itself must not crash the process.
  client.on("error", () => undefined);
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}
