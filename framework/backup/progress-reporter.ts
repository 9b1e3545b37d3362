/** Receives progress of a backup: one database at a time. */
export interface ProgressReporter {
  /** A database copy starts. */
  begin(name: string): void;
  /** Fraction 0..1 of the current database copied. */
  update(name: string, fraction: number): void;
  /** A database is done; `summary` is a short human line. */
  end(name: string, summary: string): void;
  /** Any other line worth telling (Redis snapshot, pruning). */
  note(line: string): void;
}

/** Reports nothing (library use and tests). */
export const SILENT_PROGRESS: ProgressReporter = { begin: () => undefined, update: () => undefined, end: () => undefined, note: () => undefined };

const BAR_WIDTH = 30;

/**
 * A progress bar redrawn in place on a terminal, plain lines elsewhere (logs, pipes, CI) so output
 * stays readable. Writes to `stream` (stderr by default, keeping stdout for results and JSON).
 */
export function streamProgress(stream: NodeJS.WriteStream = process.stderr): ProgressReporter {
  const tty = stream.isTTY === true;
  let lastDrawn = -1;
  return {
    begin(name) {
      lastDrawn = -1;
      if (!tty) stream.write(`backup ${name}: copying\n`);
    },
    update(name, fraction) {
      if (!tty) return;
      const filled = Math.round(Math.min(1, Math.max(0, fraction)) * BAR_WIDTH);
      if (filled === lastDrawn) return;
      lastDrawn = filled;
      stream.write(`\r${name.padEnd(20)} [${"#".repeat(filled)}${".".repeat(BAR_WIDTH - filled)}] ${String(Math.round(fraction * 100)).padStart(3)}%`);
    },
    end(name, summary) {
      stream.write(tty ? `\r${name.padEnd(20)} [${"#".repeat(BAR_WIDTH)}] 100% ${summary}\n` : `backup ${name}: ${summary}\n`);
    },
    note(line) {
      stream.write(`${line}\n`);
    },
  };
}
