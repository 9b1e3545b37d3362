import { describe, expect, it } from "vitest";
import { ConnectionGate } from "../../../../framework/engines/sqlite/connection-gate";

/** Keeps the thread busy for `ms` milliseconds, as a synchronous better-sqlite3 statement does. */
function busy(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // spin
  }
}

describe("the connection gate lets the event loop turn", () => {
  it("a burst of queued units does not run back to back: timers and I/O get turns between slices", async () => {
    const gate = new ConnectionGate("fairness");
    let turns = 0;
    const ticker = setInterval(() => (turns += 1), 1);
    const order: number[] = [];
    try {
      // 60 units of 2 ms of synchronous work, all queued at once: 120 ms of work in total.
      await Promise.all(
        Array.from({ length: 60 }, (_, index) =>
          gate.run(async () => {
            busy(2);
            order.push(index);
          }),
        ),
      );
    } finally {
      clearInterval(ticker);
    }
    // Run back to back they would finish before the first tick; sliced, the loop turned between slices.
    // (GATE_SLICE_MS slices of 120 ms of work: about a dozen turns.)
    expect(turns).toBeGreaterThanOrEqual(5);
    // FIFO order is kept across the yields.
    expect(order).toEqual(Array.from({ length: 60 }, (_, index) => index));
  });

  it("nested calls of the holder pass straight through, without yielding", async () => {
    const gate = new ConnectionGate("nested");
    let turns = 0;
    const ticker = setInterval(() => (turns += 1), 1);
    try {
      await gate.run(async () => {
        const before = turns;
        for (let index = 0; index < 20; index += 1) await gate.run(async () => busy(1));
        expect(turns).toBe(before);
      });
    } finally {
      clearInterval(ticker);
    }
  });
});
