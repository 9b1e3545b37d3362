import path from "node:path";
import { InvalidArgumentError, type Command } from "commander";
import { createBackup } from "../../backup/create-backup";
import { streamProgress } from "../../backup/progress-reporter";
import { loadCacheSettings } from "../../cache/cache-settings";
import { runtimeExtension, type FrameworkSettings } from "../../config/settings";
import { FRAMEWORK_DATABASE_NAME } from "../../discovery/database-name";
import { discoverModules } from "../../discovery/discover-modules";
import { appendOperation } from "../../system/append-operation";
import type { CliContext } from "../cli-context";
import { CliFailure } from "../exit-codes";
import { printJson, renderTable } from "../output";

/** Parses `--keep N`: a whole number >= 1. */
export function parseKeep(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new InvalidArgumentError("expected a whole number >= 1");
  return Number(value);
}

/** Default backup folder: `BACKUP_DIR`, else `backups/` beside the data dir. */
export function defaultBackupDir(dataDir: string, env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env.BACKUP_DIR ?? path.join(path.dirname(dataDir), "backups"));
}

/**
 * The databases the modules declare (and the framework's), when any database lives on an engine
 * that is not file-based: those have no file in the data dir to find them by.
 */
export async function declaredDatabases(settings: FrameworkSettings): Promise<string[]> {
  const { fallback, byDatabase } = settings.engines;
  if (fallback.kind === "sqlite" && Object.values(byDatabase).every((target) => target.kind === "sqlite")) return [];
  const report = await discoverModules({ rootDir: settings.rootDir, extension: runtimeExtension() });
  return [...new Set([FRAMEWORK_DATABASE_NAME, ...report.modules.map((module) => module.databaseName)])];
}

/**
 * `moduledb backup [db] [--out dir] [--keep N] [--json]`: online backup of every (or one) database
 * of the data dir (`--data`, else DATABASE_DIR, else ./data), plus a Redis snapshot when REDIS_URL is
 * set. Works on the files directly, so it runs beside a live server without booting a second
 * framework; databases on PostgreSQL are dumped with `pg_dump` (NOT_SUPPORTED without the tools). `.partial` folders of backups that died are removed; the outcome goes to the operations log.
 */
export function registerBackupCommand(program: Command, context: CliContext): void {
  program
    .command("backup")
    .description("Back up every database (or one) while servers keep running; verify, checksum and record a manifest.")
    .argument("[db]", "only this database")
    .option("--out <dir>", "folder receiving backup-<timestamp>/ folders (default: $BACKUP_DIR or <data dir>/../backups)")
    .option("--keep <n>", "keep only the N newest backups in --out", parseKeep)
    .option("--json", "print the manifest as JSON")
    .action(async (db: string | undefined, options: { out?: string; keep?: number; json?: boolean }) => {
      const settings = context.settings();
      const cache = loadCacheSettings();
      if (cache.isErr()) throw new CliFailure(cache.error.code, cache.error.message);
      const outDir = path.resolve(options.out ?? defaultBackupDir(settings.dataDir));
      const result = await createBackup({
        dataDir: settings.dataDir,
        settings,
        declared: await declaredDatabases(settings),
        outDir,
        ...(db === undefined ? {} : { database: db }),
        ...(options.keep === undefined ? {} : { keep: options.keep }),
        ...(cache.value.redisUrl === undefined ? {} : { redisUrl: cache.value.redisUrl }),
        progress: streamProgress(process.stderr),
      });
      if (result.isErr()) {
        await appendOperation(settings, "cli", { kind: "backup", outcome: "failed", database: db ?? null, message: result.error.message, details: { out_dir: outDir, code: result.error.code } });
        throw new CliFailure(result.error.code, result.error.message, result.error.details);
      }
      const { dir, manifest, pruned, stale_partials_removed } = result.value;
      await appendOperation(settings, "cli", {
        kind: "backup",
        outcome: "ok",
        database: db ?? null,
        message: `Backed up ${manifest.databases.map((entry) => entry.name).join(", ")} to ${dir}.`,
        details: { dir, databases: manifest.databases.map((entry) => ({ name: entry.name, size: entry.size, sha256: entry.sha256 })), pruned, stale_partials_removed },
      });
      if (options.json === true) {
        printJson({ dir, pruned, stale_partials_removed, manifest });
        return;
      }
      const rows = manifest.databases.map((entry) => [entry.name, entry.size, Object.keys(entry.row_counts).length, Object.values(entry.row_counts).reduce((a, b) => a + b, 0), entry.integrity_check.join(","), entry.sha256.slice(0, 16)]);
      if (manifest.redis !== null) rows.push(["(redis)", manifest.redis.size, "", "", "", manifest.redis.sha256.slice(0, 16)]);
      process.stdout.write(`${renderTable(["database", "bytes", "tables", "rows", "integrity", "sha256"], rows)}\nbackup written to ${dir}\n`);
      if (pruned.length > 0) process.stdout.write(`pruned ${pruned.length} older backup(s)\n`);
    });
}
