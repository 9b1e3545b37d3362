import { rm } from "node:fs/promises";
import path from "node:path";
import { Client } from "pg";
import { BackupAbort, backupError } from "../../backup/backup-error";
import type { EngineBackupCopy } from "../engine";
import type { PostgresTarget } from "../engine-targets";
import { postgresToolsDir, PostgresToolError, runPostgresTool, toolConnection } from "./pg-tools";

/** The file a PostgreSQL database's backup is written to inside a backup folder. */
export function pgDumpFileName(name: string): string {
  return `${name}.pgdump`;
}

function quote(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function toolsOrRefuse(name: string, action: "back up" | "restore"): string {
  const dir = postgresToolsDir();
  if (dir === undefined) {
    throw new BackupAbort(
      backupError("NOT_SUPPORTED", `Cannot ${action} '${name}': its database is on PostgreSQL and pg_dump/pg_restore/psql are not installed here (install Debian's postgresql-client, or set PG_BIN_DIR).`, { database: name, engine: "postgres" }),
    );
  }
  return dir;
}

async function connect(target: PostgresTarget): Promise<Client> {
  const connection = toolConnection(target);
  const client = new Client({ connectionString: connection.url, ...(connection.env.PGPASSWORD === undefined ? {} : { password: connection.env.PGPASSWORD }) });
  // A server going away mid-work is reported by the failing query; the event must not crash the process.
  client.on("error", () => undefined);
  await client.connect();
  return client;
}

function failure(code: "BACKUP_FAILED" | "RESTORE_FAILED", name: string, error: unknown): BackupAbort {
  if (error instanceof BackupAbort) return error;
  const message = error instanceof PostgresToolError ? error.message : error instanceof Error ? error.message : String(error);
  return new BackupAbort(backupError(code, `${code === "BACKUP_FAILED" ? "Backing up" : "Restoring"} '${name}' (PostgreSQL) failed: ${message}`, { database: name, engine: "postgres" }));
}

/**
 * Backs up one module database on PostgreSQL: `pg_dump --format=custom` of its schema into
 * `<targetDir>/<name>.pgdump`. The dump runs on a snapshot exported by a REPEATABLE READ
 * transaction that also counts the rows and reads the migrations table, so the manifest describes
 * exactly what the dump holds; the archive is then read back with `pg_restore --list`.
 * NOT_SUPPORTED when the client tools are missing; DATABASE_NOT_FOUND when the schema is.
 */
export async function pgDumpBackup(target: PostgresTarget, name: string, schema: string, targetDir: string): Promise<EngineBackupCopy> {
  const dir = toolsOrRefuse(name, "back up");
  const file = pgDumpFileName(name);
  const output = path.join(targetDir, file);
  const connection = toolConnection(target);
  let client: Client | undefined;
  try {
    client = await connect(target);
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    const snapshot = ((await client.query("SELECT pg_export_snapshot() AS id")).rows[0] as { id: string }).id;
    const tables = (await client.query("SELECT table_name AS name FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE' ORDER BY table_name", [schema])).rows as { name: string }[];
    const exists = (await client.query("SELECT 1 FROM pg_namespace WHERE nspname = $1", [schema])).rowCount !== 0;
    if (!exists) throw new BackupAbort(backupError("DATABASE_NOT_FOUND", `Database '${name}': schema '${schema}' does not exist on ${target.display}.`, { database: name, schema }));
    await runPostgresTool(dir, "pg_dump", ["--format=custom", `--schema=${quote(schema)}`, "--no-owner", "--no-privileges", `--snapshot=${snapshot}`, `--file=${output}`, `--dbname=${connection.url}`], connection.env);
    const rowCounts: Record<string, number> = {};
    for (const table of tables) {
      const row = (await client.query(`SELECT count(*)::int AS n FROM ${quote(schema)}.${quote(table.name)}`)).rows[0] as { n: number };
      rowCounts[table.name] = row.n;
    }
    const migrations = tables.some((table) => table.name === "moduledb_migrations")
      ? ((await client.query(`SELECT * FROM ${quote(schema)}."moduledb_migrations" ORDER BY "id"`)).rows as Record<string, unknown>[])
      : null;
    await client.query("COMMIT");
    await runPostgresTool(dir, "pg_restore", ["--list", output], connection.env).catch((error: unknown) => {
      throw new BackupAbort(backupError("INTEGRITY_CHECK_FAILED", `The backup of '${name}' cannot be read back by pg_restore: ${error instanceof Error ? error.message : String(error)}`, { database: name }));
    });
    return { file, integrity: ["ok"], rowCounts, migrations };
  } catch (error) {
    await rm(output, { force: true });
    throw failure("BACKUP_FAILED", name, error);
  } finally {
    await client?.end().catch(() => undefined);
  }
}

/**
 * Puts one module database on PostgreSQL back from `<name>.pgdump`: the archive is checked with
 * `pg_restore --list`, turned into SQL, and applied by psql in ONE transaction that first drops
 * the schema — so the schema ends up exactly as dumped, or (any failure) exactly as it was.
 * Refused with DATABASE_IN_USE while framework processes are connected to that schema (their
 * sessions carry `application_name` `moduledb:<schema>`).
 */
export async function pgRestoreBackup(target: PostgresTarget, name: string, schema: string, sourceFile: string): Promise<void> {
  const dir = toolsOrRefuse(name, "restore");
  const connection = toolConnection(target);
  const script = `${sourceFile}.restore-${process.pid}.sql`;
  let client: Client | undefined;
  try {
    await runPostgresTool(dir, "pg_restore", ["--list", sourceFile], connection.env).catch((error: unknown) => {
      throw new BackupAbort(backupError("INTEGRITY_CHECK_FAILED", `The backup of '${name}' cannot be read by pg_restore; nothing was restored: ${error instanceof Error ? error.message : String(error)}`, { database: name }));
    });
    client = await connect(target);
    const holders = (await client.query("SELECT pid, client_addr::text AS address, application_name FROM pg_stat_activity WHERE application_name = $1 AND pid <> pg_backend_pid()", [`moduledb:${schema}`])).rows as { pid: number; address: string | null }[];
    if (holders.length > 0) {
      throw new BackupAbort(
        backupError("DATABASE_IN_USE", `Refusing to restore '${name}': ${holders.length} connection(s) of running framework processes use schema '${schema}'. Stop the servers first.`, {
          holders: holders.map((holder) => ({ database: name, pid: holder.pid, hostname: holder.address ?? "local", role: "app", state: "connected" })),
        }),
      );
    }
    await runPostgresTool(dir, "pg_restore", ["--no-owner", "--no-privileges", `--file=${script}`, sourceFile], connection.env);
    await runPostgresTool(dir, "psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "--single-transaction", "-c", `DROP SCHEMA IF EXISTS ${quote(schema)} CASCADE`, "-f", script, `--dbname=${connection.url}`], connection.env);
  } catch (error) {
    throw failure("RESTORE_FAILED", name, error);
  } finally {
    await client?.end().catch(() => undefined);
    await rm(script, { force: true });
  }
}
