import path from "node:path";
import type { Command } from "commander";
import { restoreBackup } from "../../backup/restore-backup";
import { appendOperation } from "../../system/append-operation";
import type { CliContext } from "../cli-context";
import { CliFailure } from "../exit-codes";
import { printJson, renderTable } from "../output";

/**
 * `moduledb restore <backup-dir> [db] [--json]`: puts databases back from a backup into the data
 * dir (`--data`, else DATABASE_DIR, else ./data). Refuses while a running framework holds them or
 * boots on them (DATABASE_IN_USE), when checksums differ, and when a copy fails integrity_check
 * or foreign_key_check; replaces each file atomically and keeps the old one as
 * `<name>.db.replaced-<stamp>`. Does not boot the framework (that would hold the files). The
 * outcome goes to the operations log.
 */
export function registerRestoreCommand(program: Command, context: CliContext): void {
  program
    .command("restore")
    .description("Restore every database (or one) from a backup folder after checking it; the server must be stopped.")
    .argument("<backup-dir>", "a backup-<timestamp> folder written by `moduledb backup`")
    .argument("[db]", "only this database")
    .option("--json", "print the result as JSON")
    .action(async (backupDir: string, db: string | undefined, options: { json?: boolean }) => {
      const settings = context.settings();
      const source = path.resolve(backupDir);
      const result = await restoreBackup({ backupDir: source, dataDir: settings.dataDir, settings, ...(db === undefined ? {} : { database: db }) });
      if (result.isErr()) {
        await appendOperation(settings, "cli", {
          kind: "restore",
          outcome: result.error.code === "DATABASE_IN_USE" || result.error.code === "CHECKSUM_MISMATCH" || result.error.code === "INTEGRITY_CHECK_FAILED" ? "refused" : "failed",
          database: db ?? null,
          message: result.error.message,
          details: { backup_dir: source, code: result.error.code, ...(result.error.details ?? {}) },
        });
        throw new CliFailure(result.error.code, result.error.message, result.error.details);
      }
      for (const entry of result.value) {
        await appendOperation(settings, "cli", { kind: "restore", outcome: "ok", database: entry.name, message: `Restored '${entry.name}' from ${source}.`, details: { backup_dir: source, file: entry.file, replaced_file: entry.replaced_file } });
      }
      if (options.json === true) {
        printJson({ restored: result.value });
        return;
      }
      process.stdout.write(`${renderTable(["database", "file", "previous file kept as"], result.value.map((entry) => [entry.name, entry.file, entry.replaced_file ?? "(none)"]))}\n`);
    });
}
