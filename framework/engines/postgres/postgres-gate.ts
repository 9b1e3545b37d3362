import { AsyncLocalStorage } from "node:async_hooks";
import type { QueryRunner } from "typeorm";
import type { EngineGate } from "../engine";
import { PinnedRunner, type PinOptions } from "./pinned-runner";

/** A unit of work's hold on one pool client; valid only while the unit runs. */
interface Pin {
  readonly pinned: PinnedRunner;
  active: boolean;
}

/**
 * The PostgreSQL engine's gate: no global write lock (the server isolates concurrent transactions),
 * but each unit of work gets one pool client of its own for its whole length, tracked through async
 * context, so a transaction's statements never land on another connection and the holder's nested
 * calls reuse its client. Callers queue only for a free client (`PG_POOL_SIZE`): the queue is the
 * gate's own, first come first served, so a burst of callers waits its turn however long the
 * queue is, and `PG_CONNECT_TIMEOUT_MS` bounds only getting a client from the pool once it is a
 * caller's turn (a server that does not answer), never the time spent queueing behind busy ones.
 */
export class PostgresGate implements EngineGate {
  private readonly pins = new AsyncLocalStorage<Pin>();
  private waiting = 0;
  private running = 0;
  private readonly turns: (() => void)[] = [];
  /** Units of work holding a client right now. */
  private readonly active = new Set<PinnedRunner>();
  private idle: (() => void) | undefined;

  constructor(
    readonly name: string,
    private readonly options: PinOptions,
    /** Units of work at once: the pool's size, so a unit whose turn came finds a client. */
    private readonly limit = Number.POSITIVE_INFINITY,
  ) {}

  private async turn(): Promise<void> {
    if (this.running < this.limit) {
      this.running += 1;
      return;
    }
    // The slot is handed over by leave(): running stays the same.
    await new Promise<void>((resolve) => this.turns.push(resolve));
  }

  private leave(): void {
    const next = this.turns.shift();
    if (next === undefined) this.running -= 1;
    else next();
    if (this.running === 0) this.idle?.();
  }

  /**
   * Waits until no unit of work holds or waits for a client (at most `timeoutMs`), then gives back
   * as broken the clients of units still running, so closing the pool never waits on them: TypeORM's
   * pool close loops until every connected runner is released, and a pinned runner is released only
   * by its unit's end. Units still running then fail with a connection error.
   */
  async drain(timeoutMs: number): Promise<void> {
    if (this.running > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, timeoutMs);
        this.idle = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.idle = undefined;
    }
    for (const pinned of [...this.active]) await pinned.abandon();
  }

  /** True when the current async context holds a client of this database. */
  isHeld(): boolean {
    return this.pins.getStore()?.active === true;
  }

  /** The runner pinned to the current unit of work, if any. */
  current(): QueryRunner | undefined {
    const pin = this.pins.getStore();
    return pin?.active === true ? pin.pinned.runner : undefined;
  }

  /** Callers waiting for a pool client of this database. */
  get queueLength(): number {
    return this.waiting;
  }

  /** Runs `work` on a client of its own (the holder's, when it already holds one); the client is settled and returned afterwards. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.isHeld()) return work();
    this.waiting += 1;
    let pinned: PinnedRunner;
    try {
      await this.turn();
      try {
        pinned = await PinnedRunner.acquire(this.options);
      } catch (error) {
        this.leave();
        throw error;
      }
    } finally {
      this.waiting -= 1;
    }
    const pin: Pin = { pinned, active: true };
    this.active.add(pinned);
    try {
      return await this.pins.run(pin, work);
    } finally {
      pin.active = false;
      this.active.delete(pinned);
      await pinned.settle();
      this.leave();
    }
  }
}
