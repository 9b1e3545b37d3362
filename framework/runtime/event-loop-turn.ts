/**
 * Stretches of synchronous work between two turns of the event loop.
 *
 * A stretch begins with the first call after the event loop last had a turn (timers, I/O, a
 * `setImmediate`); it lasts while work keeps running on promise continuations alone, which never
 * let the loop turn. Code that must do something "once per request" (a new request always arrives
 * on a turn of its own) or must not hog the loop for long asks here instead of timing each call.
 */

let stretch = 0;
let stretchStartedAt = 0;
let markerPending = false;

function loopTurned(): void {
  markerPending = false;
}

function currentStretch(): void {
  if (markerPending) return;
  markerPending = true;
  stretch += 1;
  stretchStartedAt = performance.now();
  setImmediate(loopTurned);
}

/** A number that changes every time the event loop has had a turn since the previous call. */
export function stretchNumber(): number {
  currentStretch();
  return stretch;
}

/** Milliseconds the current stretch has kept the event loop from turning. */
export function stretchMilliseconds(): number {
  currentStretch();
  return performance.now() - stretchStartedAt;
}
