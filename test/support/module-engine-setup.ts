import { afterAll, beforeAll, expect } from "vitest";
import { createPostgresDatabase, type PostgresDatabase } from "./postgres-database";
import { sharedPostgresUrl } from "./postgres-target";

/**
 * The seed modules' suites on PostgreSQL: with `MODULEDB_TEST_MODULE_ENGINE=postgres`, every test
 * file under `test/modules/` runs with `DATABASE_URL_CIAP`, `DATABASE_URL_SCRAPER` and
 * `DATABASE_URL_DOCS` pointing at a fresh database of its own on the run's PostgreSQL server —
 * exactly what a user sets, nothing else changed (child processes inherit it). `.ci/run` runs
 * `test/modules` a second time this way. Tests that look at SQLite files themselves say so and
 * skip on PostgreSQL (see {@link moduleEngine}).
 */
const SEED_DATABASES = ["ciap", "scraper", "docs"] as const;

/** The engine the seed modules' suites run on in this run. */
export function moduleEngine(): "sqlite" | "postgres" {
  return process.env.MODULEDB_TEST_MODULE_ENGINE?.trim().toLowerCase() === "postgres" ? "postgres" : "sqlite";
}

let database: PostgresDatabase | undefined;
const previous = new Map<string, string | undefined>();

beforeAll(async () => {
  const testPath = expect.getState().testPath ?? "";
  if (moduleEngine() !== "postgres" || !/[\\/]test[\\/]modules[\\/]/.test(testPath)) return;
  const server = sharedPostgresUrl();
  if (server === undefined) throw new Error("MODULEDB_TEST_MODULE_ENGINE=postgres needs a PostgreSQL server (MODULEDB_TEST_POSTGRES_URL or Debian's postgresql)");
  database = await createPostgresDatabase(server, "moduledb_modules");
  for (const name of SEED_DATABASES) {
    const variable = `DATABASE_URL_${name.toUpperCase()}`;
    previous.set(variable, process.env[variable]);
    process.env[variable] = database.url;
  }
});

afterAll(async () => {
  for (const [variable, value] of previous) {
    if (value === undefined) delete process.env[variable];
    else process.env[variable] = value;
  }
  previous.clear();
  await database?.drop();
  database = undefined;
});
