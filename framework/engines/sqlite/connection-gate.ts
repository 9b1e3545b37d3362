import { AsyncLocalStorage } from "node:async_hooks";
import { stretchMilliseconds } from "../../runtime/event-loop-turn";

/** A held gate. It stays valid only while its holder's unit of work runs. */
interface Lease {
  readonly gate: ConnectionGate;
  active: boolean;
}

const heldLeases = new AsyncLocalStorage<readonly Lease[]>();

/**
 * Longest stretch, in milliseconds, that database work passing through the gates runs before the
 * event loop gets a turn. better-sqlite3 is synchronous and the gate hands over through promises,
 * so without this, a burst of requests arriving together would run back to back and keep
 * everything else (a `/health` probe, the next socket) waiting for all of them.
 */
export const GATE_SLICE_MS = 8;

/** True while the current stretch of synchronous work is shorter than a slice (one event loop serves every gate). */
export function sliceLeft(): boolean {
  return stretchMilliseconds() < GATE_SLICE_MS;
}

/** Lets the event loop turn once the current slice is used up; free otherwise. */
async function yieldWhenSliceIsUsed(): Promise<void> {
  if (sliceLeft()) return;
  await new Promise<void>((resolve) => setImmediate(resolve));
}

/**
 * Serialises every use of one database's single connection.
 *
 * better-sqlite3 gives a DataSource one connection, shared by every caller. A transaction spans
 * several awaits; without a gate, another caller's statement would run inside it (and be rolled
 * back with it) or read its uncommitted rows. The gate is a FIFO mutex whose holder is tracked
 * through async context, so the holder's own nested calls pass straight through while everyone
 * else waits their turn.
 */
export class ConnectionGate {
  private tail: Promise<void> = Promise.resolve();
  private waiting = 0;
  /** Units queued or running (the holder's nested calls not counted): 0 means nobody holds the gate. */
  private inUse = 0;
  private settle: () => void = () => undefined;
  private waited: (seconds: number) => void = () => undefined;

  constructor(readonly name: string) {}

  /**
   * Sets what runs after every holder's unit of work and before the next caller gets the
   * connection: the engine's chance to put the connection back in a known state (no transaction
   * left open, its bookkeeping in step) whatever the unit did or failed to do. It must not throw.
   */
  beforeRelease(settle: () => void): void {
    this.settle = settle;
  }

  /** Sets what hears, after each caller got the gate, how long it queued (in seconds); it must not throw. */
  onWait(listener: (seconds: number) => void): void {
    this.waited = listener;
  }

  /** True when the current async context already holds this gate. */
  isHeld(): boolean {
    return (heldLeases.getStore() ?? []).some((lease) => lease.gate === this && lease.active);
  }

  /**
   * True when nobody holds or waits for the gate, so synchronous work that starts and finishes
   * before the next await (a single better-sqlite3 statement) may use the connection at once.
   */
  isFree(): boolean {
    return this.inUse === 0;
  }

  /** Reports a unit that used the connection without queueing (see {@link isFree}) to the wait listener. */
  noteImmediateUse(): void {
    this.waited(0);
  }

  /** Callers currently queued behind the holder. */
  get queueLength(): number {
    return this.waiting;
  }

  /** Runs `work` while holding the gate; re-entrant for the holder. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.isHeld()) return work();
    const previous = this.tail;
    let release!: () => void;
    this.tail = new Promise<void>((resolve) => {
      release = resolve;
    });
    this.waiting += 1;
    this.inUse += 1;
    const queuedAt = performance.now();
    await previous;
    this.waiting -= 1;
    const lease: Lease = { gate: this, active: true };
    try {
      this.waited((performance.now() - queuedAt) / 1000);
      // The turn is ours while the event loop gets its breath: callers behind keep their order.
      await yieldWhenSliceIsUsed();
      // Drop leases that ended: a promise started inside a finished unit must not keep its rights.
      const stillHeld = (heldLeases.getStore() ?? []).filter((held) => held.active);
      return await heldLeases.run([...stillHeld, lease], work);
    } finally {
      lease.active = false;
      try {
        this.settle();
      } finally {
        this.inUse -= 1;
        release();
      }
    }
  }
}
