import type { DbError } from "../errors/db-error";

/**
 * Codes of the faults a database can live through while the process keeps serving: a full disk or
 * an I/O error (reads still work), or a database server that cannot be reached (PostgreSQL down).
 */
export type StorageFaultCode = "DISK_FULL" | "IO_ERROR" | "DATABASE_UNAVAILABLE";

/** A storage fault in progress: writes fail with `code` until one commits again. */
export interface StorageFault {
  readonly code: StorageFaultCode;
  /** The latest failure's message (it names the database). */
  readonly message: string;
  /** When the first failure of this episode happened (ISO-8601). */
  readonly since: string;
  /** Failures seen during this episode. */
  readonly failures: number;
}

/**
 * What one database has lived through at run time: the storage fault in progress (a full disk or
 * an I/O error, cleared by the next write that commits), how often the engine had to repair the
 * connection's transaction state, and who wants to know when the file turns out corrupt.
 */
export class DatabaseCondition {
  private currentFault: StorageFault | undefined;
  private readonly corruptListeners: ((error: DbError) => void)[] = [];
  private repairs = 0;

  /** The storage fault in progress, if any. */
  get fault(): StorageFault | undefined {
    return this.currentFault;
  }

  /** Times a unit of work left the connection in a transaction (or its bookkeeping out of step) and it was repaired. */
  get reconciliations(): number {
    return this.repairs;
  }

  /** Records a classified failure: storage faults open or extend an episode, corruption is announced. */
  noteFailure(error: DbError): void {
    if (error.code === "DISK_FULL" || error.code === "IO_ERROR" || error.code === "DATABASE_UNAVAILABLE") {
      const previous = this.currentFault;
      const since = previous?.code === error.code ? previous.since : new Date().toISOString();
      this.currentFault = { code: error.code, message: error.message, since, failures: (previous?.code === error.code ? previous.failures : 0) + 1 };
    } else if (error.code === "DATABASE_CORRUPT") {
      for (const listener of this.corruptListeners) listener(error);
    }
  }

  /** A write committed: whatever storage fault there was is over. */
  noteWriteCommitted(): void {
    this.currentFault = undefined;
  }

  /** The database server answered (a connection was made): an unreachable-server episode is over; storage faults wait for a write. */
  noteReachable(): void {
    if (this.currentFault?.code === "DATABASE_UNAVAILABLE") this.currentFault = undefined;
  }

  /** Counts one repair of the connection's transaction state. */
  noteReconciled(): void {
    this.repairs += 1;
  }

  /** Calls `listener` whenever a statement reports the file corrupt. */
  onCorrupt(listener: (error: DbError) => void): void {
    this.corruptListeners.push(listener);
  }
}
