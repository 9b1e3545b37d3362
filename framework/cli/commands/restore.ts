import path from "node:path";
import type { Command } from "commander";
import { restoreBackup } from "../../backup/restore-backup";
import { loadSettings } from "../../config/settings";
import type { CliContext } from "../cli-context";
import { CliFailure } from "../exit-codes";
import { printJson, renderTable } from "../output";

/**
 * `moduledb restore <backup-dir> [db] [--json]`: puts databases back from a backup. Refuses while a
 * running framework holds them and when checksums differ; replaces each file atomically and keeps
 * the old one as `<name>.db.replaced-<stamp>`. Does not boot the framework (that would hold the files).
 */
export function registerRestoreCommand(program: Command, _context: CliContext): void {
  program
    .command("restore")
    .description("Restore every database (or one) from a backup folder; the server must be stopped.")
    .argument("<backup-dir>", "a backup-<timestamp> folder written by `moduledb backup`")
    .argument("[db]", "only this database")
    .option("--json", "print the result as JSON")
    .action(async (backupDir: string, db: string | undefined, options: { json?: boolean }) => {
      const settings = loadSettings();
      if (settings.isErr()) throw new CliFailure(settings.error.code, settings.error.message);
      const result = await restoreBackup({ backupDir: path.resolve(backupDir), dataDir: settings.value.dataDir, ...(db === undefined ? {} : { database: db }) });
      if (result.isErr()) throw new CliFailure(result.error.code, result.error.message, result.error.details);
      if (options.json === true) {
        printJson({ restored: result.value });
        return;
      }
      process.stdout.write(`${renderTable(["database", "file", "previous file kept as"], result.value.map((entry) => [entry.name, entry.file, entry.replacedFile ?? "(none)"]))}\n`);
    });
}
