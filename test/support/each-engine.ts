import { randomBytes } from "node:crypto";
import { Client } from "pg";
import { describe } from "vitest";
import type { EngineKind } from "../../framework/engines/engine";
import { postgresAvailability, sharedPostgresUrl } from "./postgres-target";
import { describeWithService } from "./required-service";

/**
 * The engine one run of a contract suite uses. Between {@link EngineUnderTest.use} and
 * {@link EngineUnderTest.release}, every boot in this process puts the named module databases on
 * it — through `DATABASE_URL_<NAME>` exactly as a user would, nothing else changed; the framework's
 * own database stays where it always is.
 */
export interface EngineUnderTest {
  readonly kind: EngineKind;
  /**
   * Points `databases` at this engine: nothing to do for SQLite (files in the boot's data folder);
   * for PostgreSQL a fresh server database of their own on the shared server, so runs never see
   * each other's rows. Call in `beforeAll`, before booting.
   */
  use(databases: readonly string[]): Promise<void>;
  /** The `DATABASE_URL_<NAME>` values in force (empty for SQLite), for child processes. */
  env(): Record<string, string>;
  /** Restores the environment and drops what `use` created. Call in `afterAll`, after shutting down. */
  release(): Promise<void>;
}

const SQLITE: EngineUnderTest = {
  kind: "sqlite",
  use: async () => undefined,
  env: () => ({}),
  release: async () => undefined,
};

function variableOf(database: string): string {
  return `DATABASE_URL_${database.toUpperCase()}`;
}

/** A PostgreSQL server database made for one suite run, and the env it set. */
function postgresUnderTest(serverUrl: string): EngineUnderTest {
  let databaseName: string | undefined;
  const previous = new Map<string, string | undefined>();
  const admin = async <T>(work: (client: Client) => Promise<T>): Promise<T> => {
    const client = new Client({ connectionString: serverUrl });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  };
  const set: Record<string, string> = {};
  return {
    kind: "postgres",
    async use(databases) {
      databaseName = `moduledb_test_${randomBytes(6).toString("hex")}`;
      const created = databaseName;
      await admin((client) => client.query(`CREATE DATABASE "${created}"`));
      const url = new URL(serverUrl);
      url.pathname = `/${created}`;
      for (const database of databases) {
        const variable = variableOf(database);
        previous.set(variable, process.env[variable]);
        process.env[variable] = url.toString();
        set[variable] = url.toString();
      }
    },
    env: () => ({ ...set }),
    async release() {
      for (const [variable, value] of previous) {
        if (value === undefined) delete process.env[variable];
        else process.env[variable] = value;
      }
      previous.clear();
      for (const key of Object.keys(set)) delete set[key];
      const dropped = databaseName;
      databaseName = undefined;
      if (dropped !== undefined) await admin((client) => client.query(`DROP DATABASE IF EXISTS "${dropped}" WITH (FORCE)`));
    },
  };
}

/**
 * Registers a contract suite once per engine: `<title> [sqlite]` always, and `<title> [postgres]`
 * on the shared PostgreSQL server of this test run — skipped visibly when there is none, and
 * failing instead when the run requires it (`MODULEDB_REQUIRE_SERVICES`). The suite receives the
 * engine and calls `use`/`release` around its boots; everything else is written once.
 */
export function describeEachEngine(title: string, suite: (engine: EngineUnderTest) => void): void {
  describe(`${title} [sqlite]`, () => suite(SQLITE));
  const availability = postgresAvailability();
  describeWithService("postgres", availability, `${title} [postgres]`, () => {
    const url = sharedPostgresUrl();
    suite(url === undefined ? SQLITE : postgresUnderTest(url));
  });
}
