import { randomBytes } from "node:crypto";
import { Client } from "pg";

/** A server database made for one test, on a PostgreSQL server the test run has. */
export interface PostgresDatabase {
  /** The URL of the new database (same server, same user). */
  readonly url: string;
  /** Runs one query on it (a connection of its own) and returns the rows. */
  query<T extends Record<string, unknown>>(sql: string, parameters?: readonly unknown[]): Promise<T[]>;
  /** Drops it, closing whatever is still connected. */
  drop(): Promise<void>;
}

async function onServer<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  client.on("error", () => undefined);
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Creates a fresh, empty database on the server `serverUrl` names, so a test never sees another's schemas. */
export async function createPostgresDatabase(serverUrl: string, prefix = "moduledb_test"): Promise<PostgresDatabase> {
  const name = `${prefix}_${randomBytes(6).toString("hex")}`;
  await onServer(serverUrl, (client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    query: (sql, parameters = []) => onServer(url.toString(), async (client) => (await client.query(sql, [...parameters])).rows),
    drop: () => onServer(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  };
}

/** Every ciap search's query by id, read straight from PostgreSQL (the `ciap` schema). */
export async function postgresSearches(database: PostgresDatabase): Promise<Map<number, string>> {
  const rows = await database.query<{ id: number | string; query: string }>(`SELECT id, query FROM ciap.searches`);
  return new Map(rows.map((row) => [Number(row.id), row.query]));
}
