import type { Command } from "commander";
import type { CliContext } from "../cli-context";
import { registerBackupCommand } from "./backup";
import { registerRestoreCommand } from "./restore";

/** A CLI command module: adds its command(s) to the program. */
export type CommandRegistration = (program: Command, context: CliContext) => void;

/** Every command of the `moduledb` CLI, in help order. Add new command modules here. */
export const COMMANDS: readonly CommandRegistration[] = [registerBackupCommand, registerRestoreCommand];
