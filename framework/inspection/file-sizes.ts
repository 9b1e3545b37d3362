import { stat } from "node:fs/promises";

/** Sizes of a database's main file and its write-ahead log, in bytes (0 when absent). */
export interface FileSizes {
  readonly bytes: number;
  readonly walBytes: number;
}

async function sizeOf(file: string): Promise<number> {
  return stat(file).then(
    (stats) => stats.size,
    () => 0,
  );
}

/** Reads the size of `<file>` and `<file>-wal`. */
export async function fileSizes(file: string): Promise<FileSizes> {
  const [bytes, walBytes] = await Promise.all([sizeOf(file), sizeOf(`${file}-wal`)]);
  return { bytes, walBytes };
}
