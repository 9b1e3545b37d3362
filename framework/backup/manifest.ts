import { readFile } from "node:fs/promises";
import path from "node:path";
import { err, ok, ResultAsync, type Result } from "neverthrow";
import { isValidDatabaseName } from "../discovery/database-name";
import { backupError, type BackupError } from "./backup-error";

/** Name of the manifest file in every backup folder. */
export const MANIFEST_FILE = "manifest.json";
/** Version of the manifest layout; bumped when fields change meaning. */
export const MANIFEST_FORMAT = 1;

/** One database in a backup. */
export interface ManifestDatabase {
  readonly name: string;
  /** The engine the copy is for; absent means SQLite (a `<name>.db` file). PostgreSQL copies are `<name>.pgdump` archives. */
  readonly engine?: "sqlite" | "postgres";
  /** File name inside the backup folder. */
  readonly file: string;
  readonly size: number;
  readonly sha256: string;
  /** `["ok"]` for every file a backup accepted. */
  readonly integrity_check: readonly string[];
  readonly row_counts: Readonly<Record<string, number>>;
  /** Rows of `moduledb_migrations`, or null when the database has no such table. */
  readonly migrations: readonly Record<string, unknown>[] | null;
  /** Pages copied and how often the online copy restarted because of concurrent writes. */
  readonly pages: number;
  readonly restarts: number;
}

/** The Redis snapshot of a backup (only with REDIS_URL). */
export interface ManifestRedis {
  readonly file: string;
  readonly size: number;
  readonly sha256: string;
  /** The server's LASTSAVE after our BGSAVE, as an ISO time. */
  readonly saved_at: string;
  /** Where the server wrote the RDB (`CONFIG GET dir` + `dbfilename`). */
  readonly source: string;
}

/** `manifest.json`: what a backup holds and how to check it. */
export interface BackupManifest {
  readonly format: number;
  readonly created_at: string;
  readonly data_dir: string;
  readonly databases: readonly ManifestDatabase[];
  readonly redis: ManifestRedis | null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function validEntry(value: unknown): value is ManifestDatabase {
  return (
    isRecord(value) &&
    typeof value.name === "string" &&
    isValidDatabaseName(value.name) &&
    (value.engine === "postgres" ? value.file === `${value.name}.pgdump` : value.file === `${value.name}.db` && (value.engine === undefined || value.engine === "sqlite")) &&
    typeof value.size === "number" &&
    typeof value.sha256 === "string" &&
    /^[0-9a-f]{64}$/.test(value.sha256)
  );
}

/** Checks the shape of a parsed manifest; file names must be plain `<name>.db` (`<name>.pgdump`) so a manifest cannot point outside its folder. */
export function parseManifest(value: unknown, where: string): Result<BackupManifest, BackupError> {
  if (!isRecord(value) || value.format !== MANIFEST_FORMAT || !Array.isArray(value.databases) || typeof value.created_at !== "string") {
    return err(backupError("MANIFEST_INVALID", `${where} is not a moduledb backup manifest (format ${MANIFEST_FORMAT}).`, { manifest: where }));
  }
  const bad = value.databases.findIndex((entry) => !validEntry(entry));
  if (bad >= 0) return err(backupError("MANIFEST_INVALID", `${where}: database entry ${bad} is malformed.`, { manifest: where, entry: bad }));
  return ok(value as unknown as BackupManifest);
}

/** Reads and validates `<backupDir>/manifest.json`. */
export function readManifest(backupDir: string): ResultAsync<BackupManifest, BackupError> {
  const file = path.join(backupDir, MANIFEST_FILE);
  return ResultAsync.fromPromise(readFile(file, "utf8"), () => backupError("MANIFEST_INVALID", `No readable ${MANIFEST_FILE} in '${backupDir}'.`, { backup_dir: backupDir }))
    .andThen((text) => {
      try {
        return ok(JSON.parse(text) as unknown);
      } catch {
        return err(backupError("MANIFEST_INVALID", `${file} is not valid JSON.`, { manifest: file }));
      }
    })
    .andThen((parsed) => parseManifest(parsed, file));
}
