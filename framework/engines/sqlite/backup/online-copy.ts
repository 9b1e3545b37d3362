import Database from "better-sqlite3";

/** Progress of one database copy, 0..1. */
export type CopyProgress = (fraction: number) => void;

/** How a copy went. */
export interface CopyOutcome {
  readonly pages: number;
  /** Times SQLite restarted the copy because another connection wrote meanwhile. */
  readonly restarts: number;
}

const ALL_REMAINING_PAGES = 0x7fffffff;

/**
 * Copies a live database into `target` with SQLite's online backup API. Small steps keep the
 * progress bar moving, but each write by another connection restarts the copy; after the first
 * restart the rest is copied in one step, which holds one read snapshot (WAL readers do not block
 * writers) and so always finishes. Either way the copy is a consistent snapshot of one moment.
 */
export async function copyDatabaseOnline(source: string, target: string, onProgress: CopyProgress = () => undefined): Promise<CopyOutcome> {
  const connection = new Database(source, { fileMustExist: true, timeout: 5_000 });
  let restarts = 0;
  let lastRemaining = Number.POSITIVE_INFINITY;
  try {
    const result = await connection.backup(target, {
      progress: ({ totalPages, remainingPages }) => {
        if (remainingPages > lastRemaining) restarts += 1;
        lastRemaining = remainingPages;
        onProgress(totalPages === 0 ? 1 : (totalPages - remainingPages) / totalPages);
        return restarts > 0 ? ALL_REMAINING_PAGES : Math.max(100, Math.ceil(totalPages / 50));
      },
    });
    onProgress(1);
    return { pages: result.totalPages, restarts };
  } finally {
    connection.close();
  }
}
