import type { Command } from "commander";
import type { CliContext } from "../cli-context";
import { registerCheck } from "./check";
import { registerMigrationGenerate } from "./migration-generate";
import { registerMigrationRevert } from "./migration-revert";
import { registerMigrationRun } from "./migration-run";
import { registerMigrationStatus } from "./migration-status";
import { registerSchema } from "./schema";
import { registerSeed } from "./seed";
import { registerStatus } from "./status";
import { registerTables } from "./tables";
import { registerBackupCommand } from "./backup";
import { registerRestoreCommand } from "./restore";
import { registerErd } from "./erd";
import { registerForget } from "./forget";
import { registerLog } from "./log";
import { registerAudit } from "./audit";
import { registerTokenCreate } from "./token-create";
import { registerSettings, registerSettingsWrite } from "./settings";
import { registerTop } from "./top";
import { registerTransfer } from "./transfer";

/** A CLI command module: adds its command(s) to the program. */
export type CommandRegistration = (program: Command, context: CliContext) => void;

/** Every command of the `moduledb` CLI, in help order. Add new command modules here. */
export const COMMANDS: readonly CommandRegistration[] = [
  registerStatus,
  registerTop,
  registerTables,
  registerSchema,
  registerErd,
  registerMigrationGenerate,
  registerMigrationRun,
  registerMigrationRevert,
  registerMigrationStatus,
  registerSeed,
  registerCheck,
  registerBackupCommand,
  registerRestoreCommand,
  registerForget,
  registerLog,
  registerAudit,
  registerTokenCreate,
  registerSettings,
  registerSettingsWrite,
  registerTransfer,
];
