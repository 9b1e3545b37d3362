/** Every error code backup and restore can return; scripts branch on them. */
export const BACKUP_ERROR_CODES = [
  /** A command-line value is out of range (e.g. `--keep 0`). */
  "INVALID_OPTION",
  /** The named database has no file in the data dir (backup) or no file in the backup (restore). */
  "DATABASE_NOT_FOUND",
  /** Copying a database (SQLite's online backup API, PostgreSQL's pg_dump) failed. */
  "BACKUP_FAILED",
  /** A written backup file did not pass its check (SQLite: `PRAGMA integrity_check`; PostgreSQL: `pg_restore --list`). */
  "INTEGRITY_CHECK_FAILED",
  /** BGSAVE or copying the RDB file failed (only with REDIS_URL). */
  "REDIS_SNAPSHOT_FAILED",
  /** The backup folder has no readable, well-formed manifest.json. */
  "MANIFEST_INVALID",
  /** A backup file's size or sha256 differs from its manifest; nothing was restored. */
  "CHECKSUM_MISMATCH",
  /** A running framework process holds the database; nothing was restored. */
  "DATABASE_IN_USE",
  /** Replacing a database file failed; the original is still in place (or kept aside). */
  "RESTORE_FAILED",
  /** The database's engine cannot be backed up or restored here (PostgreSQL without pg_dump/pg_restore/psql, a backup of another engine). */
  "NOT_SUPPORTED",
] as const;

/** A typed error code of backup/restore. */
export type BackupErrorCode = (typeof BACKUP_ERROR_CODES)[number];

/** The error half of every backup/restore Result. */
export interface BackupError {
  readonly code: BackupErrorCode;
  readonly message: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

/** Builds a {@link BackupError}. */
export function backupError(code: BackupErrorCode, message: string, details?: Record<string, unknown>): BackupError {
  return details === undefined ? { code, message } : { code, message, details };
}

/** True when `value` has the shape of a {@link BackupError}. */
export function isBackupError(value: unknown): value is BackupError {
  return typeof value === "object" && value !== null && (BACKUP_ERROR_CODES as readonly string[]).includes(String((value as { code?: unknown }).code));
}

/** Thrown inside backup/restore steps to stop with a specific error; unwrapped at the public boundary. */
export class BackupAbort extends Error {
  constructor(readonly error: BackupError) {
    super(error.message);
    this.name = "BackupAbort";
  }
}

/** Maps anything thrown to a {@link BackupError}, keeping a {@link BackupAbort}'s own error. */
export function toBackupError(error: unknown, fallback: BackupErrorCode): BackupError {
  if (error instanceof BackupAbort) return error.error;
  if (isBackupError(error)) return error;
  return backupError(fallback, error instanceof Error ? error.message : String(error));
}
