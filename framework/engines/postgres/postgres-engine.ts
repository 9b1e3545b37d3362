import type { FrameworkSettings } from "../../config/settings";
import type { DatabaseEntry } from "../../database/database-registry";
import type { IntegrityReport } from "../../inspection/integrity-report";
import type { DatabaseEngine } from "../engine";
import type { PostgresTarget } from "../engine-targets";
import { checkPostgres, type PostgresChecks } from "./check-postgres";
import type { CatalogReader } from "./inspect-postgres";
import { connectionConfig, schemaOf, withClient } from "./postgres-connection";
import { openPostgresDatabase } from "./open-postgres";
import { pgDumpBackup, pgRestoreBackup } from "./pg-dump-backup";

/** `postgres://user@host:port/db?schema=<schema>`: where a database lives, without the password, in a form `DATABASE_URL_<NAME>` accepts. */
export function postgresLocation(target: PostgresTarget, name: string): string {
  const url = new URL(target.display);
  url.searchParams.set("schema", schemaOf(target, name));
  return url.toString();
}

function report(entry: DatabaseEntry, checks: PostgresChecks): IntegrityReport {
  const ok = checks.integrity.length === 1 && checks.integrity[0] === "ok" && checks.foreign_key_violations.length === 0;
  return { database: entry.name, file: entry.file, ...checks, ok };
}

/**
 * The constraint and catalog checks of one database: on its own pool while it is open, else on a
 * connection of their own (a database boot refused is exactly what this must be able to look at).
 */
async function checkIntegrity(target: PostgresTarget, settings: FrameworkSettings["postgres"], entry: DatabaseEntry): Promise<IntegrityReport> {
  const failed = (error: string): IntegrityReport => ({ database: entry.name, file: entry.file, integrity: [], foreign_key_violations: [], ok: false, error });
  try {
    const database = entry.database;
    if (entry.state === "ready" && database !== undefined) {
      const reader: CatalogReader = { query: (sql, parameters) => database.dataSource.query(sql, parameters) };
      return report(entry, await database.gate.run(() => checkPostgres(reader)));
    }
    const schema = schemaOf(target, entry.name);
    return await withClient(connectionConfig(target, schema, settings), async (client) => {
      if ((await client.query("SELECT 1 FROM pg_namespace WHERE nspname = $1", [schema])).rowCount === 0) return failed(`The schema '${schema}' does not exist.`);
      return report(entry, await checkPostgres({ query: async (sql, parameters) => (await client.query(sql, parameters)).rows }));
    });
  } catch (error) {
    return failed(error instanceof Error ? error.message : String(error));
  }
}

/**
 * PostgreSQL: every database is a schema (its `DATABASE_NAME`, or the URL's `?schema=`) on the
 * server the URL names; each process keeps a pool per database, and any number of processes may
 * serve the same databases at once.
 */
export function postgresEngine(target: PostgresTarget, settings: FrameworkSettings["postgres"]): DatabaseEngine {
  return {
    kind: "postgres",
    capabilities: { fileBased: false, onlineBackup: false, needsWriteGate: false, sharedByProcesses: true },
    location: (name) => postgresLocation(target, name),
    open: (request, frameworkSettings, observers) => openPostgresDatabase(request, frameworkSettings, target, observers),
    // Reading the catalog needs a round trip; the open session's own schema version covers changes to open databases.
    fingerprint: () => "unknown",
    checkIntegrity: (entry) => checkIntegrity(target, settings, entry),
    backup: (name, targetDir) => pgDumpBackup(target, name, schemaOf(target, name), targetDir),
    restore: (name, sourceFile) => pgRestoreBackup(target, name, schemaOf(target, name), sourceFile),
  };
}
