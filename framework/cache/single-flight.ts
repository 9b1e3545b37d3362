/**
 * Coalesces concurrent calls per key: while a call for a key is in flight, later callers for the
 * same key get the same promise instead of starting their own. Nothing is remembered afterwards.
 */
export class SingleFlight<T> {
  private readonly inFlight = new Map<string, Promise<T>>();

  /** Runs `work` for `key` unless a run for `key` is already in flight, whose promise is returned instead. */
  run(key: string, work: () => Promise<T>): Promise<T> {
    const running = this.inFlight.get(key);
    if (running !== undefined) return running;
    const started = work().finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, started);
    return started;
  }

  /** Keys with a call in flight (for diagnostics). */
  get size(): number {
    return this.inFlight.size;
  }
}
