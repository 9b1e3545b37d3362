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
