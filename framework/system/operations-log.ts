import os from "node:os";
import { ResultAsync } from "neverthrow";
import { LessThan } from "typeorm";
import type { ModuleDatabase } from "../database/module-database";
import type { DbError } from "../errors/db-error";
import { toDbError } from "../errors/to-db-error";
import { OperationRecord } from "./system-entities";

/** What the operations log records. */
export const OPERATION_KINDS = [
  "boot",
  "shutdown",
  "migration.run",
  "migration.revert",
  "seed",
  "backup",
  "restore",
  "database.refused",
  "database.ready",
] as const;

/** One kind of operation. */
export type OperationKind = (typeof OPERATION_KINDS)[number];

/** How an operation ended: done, failed part-way, or not done because something refused it. */
export type OperationOutcome = "ok" | "failed" | "refused";

/** An operation to record. */
export interface OperationEntry {
  readonly kind: OperationKind;
  readonly outcome: OperationOutcome;
  /** One sentence saying what happened. */
  readonly message: string;
  readonly database?: string | null;
  /** Who did it; the log's own actor (this process) when absent. */
  readonly actor?: string;
  readonly details?: Record<string, unknown>;
}

/** A recorded operation as the CLI and the HTTP API show it. */
export interface OperationView {
  readonly id: number;
  /** ISO time with milliseconds. */
  readonly at: string;
  readonly kind: string;
  readonly actor: string;
  readonly database: string | null;
  readonly outcome: string;
  readonly message: string;
  readonly details: Record<string, unknown>;
}

/** Which operations to read. */
export interface OperationFilter {
  /** At most this many, newest first (default 50, at most 1000). */
  readonly limit?: number;
  readonly database?: string;
  readonly kind?: string;
}

/** The most rows one read returns. */
export const MAX_OPERATIONS_PER_READ = 1_000;

/** `<role> pid <pid> (<user>@<host>)`: the actor of everything a process does on its own behalf. */
export function processActor(role: string): string {
  let user = "?";
  try {
    user = os.userInfo().username;
  } catch {
    // Some containers run as a uid without a passwd entry.
  }
  return `${role} pid ${process.pid} (${user}@${os.hostname()})`;
}

function view(record: OperationRecord): OperationView {
  return {
    id: record.id,
    at: new Date(record.at).toISOString(),
    kind: record.kind,
    actor: record.actor,
    database: record.database_name,
    outcome: record.outcome,
    message: record.message,
    details: record.details,
  };
}

/**
 * The framework's operations log, in the framework database (`framework_operations`). Writing an
 * entry never fails the operation it describes: a write that fails is reported on stderr.
 */
export class OperationsLog {
  constructor(
    private readonly database: ModuleDatabase,
    /** Who this process is, for entries that name no other actor. */
    readonly actor: string,
  ) {}

  /** Appends one entry. */
  async record(entry: OperationEntry): Promise<void> {
    try {
      const record: Omit<OperationRecord, "id"> = {
        at: Date.now(),
        kind: entry.kind,
        actor: (entry.actor ?? this.actor).slice(0, 200),
        database_name: entry.database ?? null,
        outcome: entry.outcome,
        message: entry.message,
        details: entry.details ?? {},
      };
      await this.database.repository(OperationRecord).save(record);
    } catch (error) {
      process.stderr.write(`moduledb: could not write the operations log (${entry.kind}: ${entry.message}): ${error instanceof Error ? error.message : String(error)}\n`);
    }
  }

  /** Entries newest first, filtered by database and kind. */
  list(filter: OperationFilter = {}): ResultAsync<OperationView[], DbError> {
    const limit = Math.min(Math.max(1, filter.limit ?? 50), MAX_OPERATIONS_PER_READ);
    return ResultAsync.fromPromise(
      this.database.repository(OperationRecord).find({
        where: { ...(filter.database === undefined ? {} : { database_name: filter.database }), ...(filter.kind === undefined ? {} : { kind: filter.kind }) },
        order: { at: "DESC", id: "DESC" },
        take: limit,
      }),
      (error) => toDbError(error, this.database.name),
    ).map((records) => records.map(view));
  }

  /**
   * Deletes entries older than `retentionDays`; returns how many went. Looks first (a read), so a
   * boot with nothing to prune takes no write lock.
   */
  prune(retentionDays: number, now = Date.now()): ResultAsync<number, DbError> {
    const repository = this.database.repository(OperationRecord);
    const where = { at: LessThan(now - retentionDays * 86_400_000) };
    return ResultAsync.fromPromise(
      (async () => ((await repository.exists({ where })) ? ((await repository.delete(where)).affected ?? 0) : 0))(),
      (error) => toDbError(error, this.database.name),
    );
  }
}
