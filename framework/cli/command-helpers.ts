import type { Command } from "commander";
import type { Framework } from "../boot/framework";
import type { ModuleDatabase } from "../database/module-database";
import type { MigrationError } from "../migrations/migration-error";
import { CliFailure } from "./exit-codes";
import { printJson } from "./output";

/** Options every read command accepts. */
export interface JsonOption {
  readonly json?: boolean;
}

/** Adds `--json` to a command. */
export function withJson(command: Command): Command {
  return command.option("--json", "print machine-readable JSON instead of tables");
}

/** Prints `value` as JSON with `--json`, otherwise the text `render` makes. */
export function output(options: JsonOption, value: unknown, render: () => string): void {
  if (options.json === true) printJson(value);
  else process.stdout.write(`${render()}\n`);
}

/** The ready database called `name`, or a failure naming the databases that exist. */
export function requireDatabase(framework: Framework, name: string): ModuleDatabase {
  const result = framework.databases.get(name);
  if (result.isOk()) return result.value;
  if (result.error.code === "DATABASE_NOT_FOUND") {
    throw new CliFailure("DATABASE_NOT_FOUND", `Database '${name}' not found. Available databases: ${framework.databases.names().join(", ")}.`, { database: name, available_databases: framework.databases.names() });
  }
  throw new CliFailure(result.error.code, result.error.message, { database: name });
}

/** Fails with a name that is not a known database, listing the known ones. */
export function requireKnownDatabase(framework: Framework, name: string | undefined): void {
  if (name === undefined || framework.databases.entry(name) !== undefined) return;
  throw new CliFailure("DATABASE_NOT_FOUND", `Database '${name}' not found. Available databases: ${framework.databases.names().join(", ")}.`, { database: name, available_databases: framework.databases.names() });
}

/** A migration error as a CLI failure (exit code 1). */
export function migrationFailure(error: MigrationError): CliFailure {
  const details: Record<string, unknown> = { ...error.details };
  if (error.database !== undefined) details.database = error.database;
  if (error.migration !== undefined) details.migration = error.migration;
  if (error.statement !== undefined) details.statement = error.statement;
  return new CliFailure(error.code, error.message, details);
}

/** Human-readable byte counts for status output. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
