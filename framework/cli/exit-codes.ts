/** Exit codes scripts can rely on. */
export const EXIT_OK = 0;
/** The command ran and failed (unknown database, failed check, refused restore, ...). */
export const EXIT_FAILURE = 1;
/** The command line itself was wrong (unknown command or option, missing argument). */
export const EXIT_USAGE = 2;

/** A failure a command reports: printed as `error [CODE]: message` (or as JSON with `--json`), exit code 1. */
export class CliFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: Readonly<Record<string, unknown>>,
    readonly exitCode: number = EXIT_FAILURE,
  ) {
    super(message);
    this.name = "CliFailure";
  }
}

/**
 * A failure whose details the command already printed (a failed check, a failed migration in a
 * run report): exit code 1, and in `--json` mode nothing more is written to stdout, so the report
 * stays the only JSON document there.
 */
export class ReportedFailure extends CliFailure {
  constructor(code: string, message: string) {
    super(code, message);
    this.name = "ReportedFailure";
  }
}
