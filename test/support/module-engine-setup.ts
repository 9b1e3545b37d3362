import { afterAll, beforeAll, beforeEach, expect } from "vitest";
import { createPostgresDatabase, type PostgresDatabase } from "./postgres-database";
import { sharedPostgresUrl } from "./postgres-target";

/**
 * The seed modules' suites on PostgreSQL: with `MODULEDB_TEST_MODULE_ENGINE=postgres`, every test
 * file under `test/modules/` runs with `DATABASE_URL_CIAP`, `DATABASE_URL_SCRAPER` and
 * `DATABASE_URL_DOCS` pointing at a fresh database on the run's PostgreSQL server — a new one for
 * the file's `beforeAll` and again before each test, as each boot on SQLite gets new files —
 * exactly what a user sets, nothing else changed (child processes inherit it). `.ci/run` runs
 * `test/modules` a second time this way. Tests that look at SQLite files themselves say so and
 * skip on PostgreSQL (see {@link moduleEngine}).
 */
const SEED_DATABASES = ["ciap", "scraper", "docs"] as const;

/** The engine the seed modules' suites run on in this run. */
export function moduleEngine(): "sqlite" | "postgres" {
  return process.env.MODULEDB_TEST_MODULE_ENGINE?.trim().toLowerCase() === "postgres" ? "postgres" : "sqlite";
}

const databases: PostgresDatabase[] = [];
const previous = new Map<string, string | undefined>();
let applies = false;

/** Points the seed modules' databases at a new, empty server database (earlier ones stay until the file ends: frameworks booted on them may still run). */
async function freshDatabase(): Promise<void> {
  const server = sharedPostgresUrl();
  if (server === undefined) throw new Error("MODULEDB_TEST_MODULE_ENGINE=postgres needs a PostgreSQL server (MODULEDB_TEST_POSTGRES_URL or Debian's postgresql)");
  const database = await createPostgresDatabase(server, "moduledb_modules");
  databases.push(database);
  for (const name of SEED_DATABASES) {
    const variable = `DATABASE_URL_${name.toUpperCase()}`;
    if (!previous.has(variable)) previous.set(variable, process.env[variable]);
    process.env[variable] = database.url;
  }
}

beforeAll(async () => {
  const testPath = expect.getState().testPath ?? "";
  applies = moduleEngine() === "postgres" && /[\\/]test[\\/]modules[\\/]/.test(testPath);
  if (applies) await freshDatabase();
});

beforeEach(async () => {
  if (applies) await freshDatabase();
});

afterAll(async () => {
  for (const [variable, value] of previous) {
    if (value === undefined) delete process.env[variable];
    else process.env[variable] = value;
  }
  previous.clear();
  for (const database of databases.splice(0)) await database.drop();
});
