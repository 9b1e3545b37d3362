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
 * calls reuse its client. Callers queue only for a free client (`PG_POOL_SIZE`).
 */
export class PostgresGate implements EngineGate {
  private readonly pins = new AsyncLocalStorage<Pin>();
  private waiting = 0;

  constructor(
    readonly name: string,
    private readonly options: PinOptions,
  ) {}

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
      pinned = await PinnedRunner.acquire(this.options);
    } finally {
      this.waiting -= 1;
    }
    const pin: Pin = { pinned, active: true };
    try {
      return await this.pins.run(pin, work);
    } finally {
      pin.active = false;
      await pinned.settle();
    }
  }
}
