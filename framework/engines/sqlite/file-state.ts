import { statSync } from "node:fs";

/** How a SQLite database file looks before it is opened. */
export type DatabaseFileState = "missing" | "empty" | "present";

/** The WAL header alone is 32 bytes; anything shorter holds no frame SQLite could recover. */
const WAL_HEADER_BYTES = 32;

function sizeOf(file: string): number | undefined {
  try {
    return statSync(file).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

/**
 * `missing` when there is no file, `empty` when it has 0 bytes and no WAL frames SQLite would
 * recover into it, `present` otherwise. Opening a missing or empty file makes SQLite start a new,
 * empty database there without a word, which is exactly what must not happen to one that had data.
 */
export function databaseFileState(file: string): DatabaseFileState {
  const size = sizeOf(file);
  if (size === undefined) return "missing";
  if (size > 0) return "present";
  return (sizeOf(`${file}-wal`) ?? 0) > WAL_HEADER_BYTES ? "present" : "empty";
}
