import type { Client } from "pg";
import { DataSource } from "typeorm";
import type { FrameworkSettings } from "../../config/settings";
import type { DatabaseObservers } from "../../database/database-observers";
import type { RetryPolicy } from "../../database/retry-policy";
import { TimestampPrecisionSubscriber } from "../../database/timestamp-precision";
import { dbError, DbErrorException } from "../../errors/db-error";
import type { OpenDatabaseRequest } from "../engine";
import type { PostgresTarget } from "../engine-targets";
import { withTimeout } from "../with-timeout";
import { guardPostgresDataSource, type PostgresGuardOptions } from "./guard-postgres";
import { rawRunnerFactory, type PinOptions } from "./pinned-runner";
import { connectionConfig, quoteIdentifier, schemaOf, withClient } from "./postgres-connection";
import { sqlStateOf } from "./postgres-error";
import { PostgresGate } from "./postgres-gate";
import { PostgresSession } from "./postgres-session";
import { assertPostgresShape, installPostgresTypes } from "./typeorm-internals";

/**
 * DATABASE_EMPTIED when the framework remembers tables for a database whose schema is missing or
 * holds none of them: creating it would silently start a new, empty database in its place.
 */
async function refuseEmptied(client: Client, request: OpenDatabaseRequest, schema: string): Promise<void> {
  const remembered = request.rememberedTables ?? [];
  if (remembered.length === 0) return;
  const found = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = $1 AND tablename = ANY ($2::text[])`, [schema, [...remembered]]);
  if ((found.rows[0]?.n ?? 0) > 0) return;
  const exists = (await client.query(`SELECT 1 FROM pg_namespace WHERE nspname = $1`, [schema])).rowCount !== 0;
  const state = exists ? "empty" : "missing";
  throw new DbErrorException(
    dbError(
      "DATABASE_EMPTIED",
      `Database '${request.name}': its schema '${schema}' ${exists ? "holds none of its tables" : "is missing"}, but the framework database remembers its tables (${remembered.join(", ")}); it is refused rather than recreated empty. Restore it (pg_restore, or 'moduledb restore'), or run 'moduledb forget ${request.name}' to start it empty.`,
      request.name,
      { file_state: state, remembered_tables: [...remembered] },
    ),
  );
}

/** Creates the schema when missing; another process creating it at the same moment is not an error. */
async function ensureSchema(client: Client, schema: string): Promise<void> {
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(schema)}`);
  } catch (error) {
    // Two concurrent IF NOT EXISTS can still collide on the catalog's unique index.
    const state = sqlStateOf(error);
    if (state !== "23505" && state !== "42P06") throw error;
  }
}

/**
 * Opens database `request.name` on PostgreSQL: its schema (created when missing, unless the
 * framework remembers tables for it) on the server of `target`, a TypeORM postgres DataSource with
 * a pool of `PG_POOL_SIZE` connections whose `search_path` is that schema, guarded so each unit of
 * work keeps one connection. Tables are not touched here; schema work is the schema step's job.
 */
export async function openPostgresDatabase(request: OpenDatabaseRequest, settings: FrameworkSettings, target: PostgresTarget, observers: DatabaseObservers): Promise<PostgresSession> {
  const schema = schemaOf(target, request.name);
  const config = connectionConfig(target, schema, settings.postgres);
  await withTimeout(
    withClient(config, async (client) => {
      await refuseEmptied(client, request, schema);
      await ensureSchema(client, schema);
    }),
    settings.connectionTimeoutSeconds,
    `Opening database '${request.name}'`,
  );
  const { connectionString, ...extra } = config;
  const dataSource = new DataSource({
    type: "postgres",
    url: connectionString,
    schema,
    entities: [...request.entities],
    migrations: [...(request.migrations ?? [])] as string[],
    migrationsTableName: "moduledb_migrations",
    synchronize: false,
    migrationsRun: false,
    logging: false,
    subscribers: [TimestampPrecisionSubscriber],
    poolSize: settings.postgres.poolSize,
    connectTimeoutMS: settings.postgres.connectTimeoutMs,
    applicationName: `moduledb:${schema}`,
    // gen_random_uuid() is built into PostgreSQL 13+: no extension to install (which needs rights).
    uuidExtension: "pgcrypto",
    installExtensions: false,
    // 64-bit integers (the `integer` columns, COUNT(*)) read back as numbers, as better-sqlite3 returns them.
    parseInt8: true,
    extra,
  });
  installPostgresTypes(dataSource);
  await withTimeout(dataSource.initialize(), settings.connectionTimeoutSeconds, `Opening database '${request.name}'`);
  const createRaw = rawRunnerFactory(dataSource);
  assertPostgresShape(dataSource, createRaw());
  const pinOptions: PinOptions = { name: request.name, condition: observers.condition, activity: observers.activity, createRaw };
  const gate = new PostgresGate(request.name, pinOptions, settings.postgres.poolSize);
  const retry: RetryPolicy = { maxRetries: settings.maxRetries, baseDelayMs: settings.retryBaseDelayMs, maxDelayMs: 2_000 };
  const guard: PostgresGuardOptions = { gate, retry, stats: observers.stats };
  guardPostgresDataSource(dataSource, createRaw, guard);
  const shown = {
    engine: "postgres",
    server: target.display,
    schema,
    server_version: (dataSource.driver as unknown as { version?: string }).version,
    pool_size: settings.postgres.poolSize,
    statement_timeout_ms: settings.postgres.statementTimeoutMs,
    connect_timeout_ms: settings.postgres.connectTimeoutMs,
    transaction_isolation: "serializable",
  };
  const session = new PostgresSession(request.name, dataSource, gate, guard, shown, (settings.postgres.statementTimeoutMs || 5_000) + 2_000);
  pinOptions.onSchemaChange = (runner) => session.refreshSchemaVersion(runner);
  await session.refreshSchemaVersion();
  return session;
}
