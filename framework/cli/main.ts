import "reflect-metadata";
import { Command, CommanderError } from "commander";
import { BootError } from "../boot/boot-error";
import { runAsActor } from "../runtime/request-context";
import { CliContext } from "./cli-context";
import { COMMANDS } from "./commands";
import { cliActor } from "./commands/audit";
import { CliFailure, EXIT_FAILURE, EXIT_OK, EXIT_USAGE, ReportedFailure } from "./exit-codes";

/** Builds the `moduledb` program with every registered command. */
export function buildProgram(context: CliContext): Command {
  const program = new Command("moduledb")
    .description("Manage moduledb's per-module SQLite databases: status, schema, migrations, seeds, checks.")
    .option("--root <dir>", "folder holding modules/ (default: this build's own root, or MODULEDB_ROOT)")
    .option("--data <dir>", "folder holding the .db files (default: DATABASE_DIR or ./data)")
    .showHelpAfterError()
    .exitOverride();
  program.hook("preAction", (thisCommand) => {
    const options = thisCommand.opts<{ root?: string; data?: string }>();
    context.configure({ ...(options.root === undefined ? {} : { rootDir: options.root }), ...(options.data === undefined ? {} : { dataDir: options.data }) });
  });
  for (const register of COMMANDS) register(program, context);
  program.commands.forEach((command) => command.exitOverride());
  return program;
}

function wantsJson(argv: readonly string[]): boolean {
  return argv.includes("--json");
}

/** Runs the CLI on `argv` (without node and script) and returns the exit code. */
export async function runCli(argv: readonly string[]): Promise<number> {
  const context = new CliContext();
  const program = buildProgram(context);
  try {
    // Writes a command makes through the CrudService (an import) are audited as `cli:<user>`.
    await runAsActor(cliActor(), () => program.parseAsync([...argv], { from: "user" }));
    return EXIT_OK;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end through here too, with exit code 0.
      return error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    }
    const failure =
      error instanceof CliFailure
        ? error
        : error instanceof BootError
          ? new CliFailure(error.code, error.message)
          : new CliFailure("INTERNAL_ERROR", error instanceof Error ? error.message : String(error));
    if (failure instanceof ReportedFailure && wantsJson(argv)) return EXIT_FAILURE;
    if (wantsJson(argv)) process.stdout.write(`${JSON.stringify({ error: { code: failure.code, message: failure.message, details: failure.details ?? {} } }, null, 2)}\n`);
    else process.stderr.write(`error [${failure.code}]: ${failure.message}\n`);
    return failure.exitCode === EXIT_OK ? EXIT_FAILURE : failure.exitCode;
  } finally {
    await context.close();
  }
}

if (require.main === module) {
  void runCli(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
