/** Where the server is in its life: readiness routes answer 503 outside `ready`. */
export type ServerPhase = "starting" | "ready" | "stopping";

/** The server's phase, shared by the readiness routes and the shutdown path. */
export class ServerState {
  private current: ServerPhase = "starting";

  /** The current phase. */
  get phase(): ServerPhase {
    return this.current;
  }

  /** Called once the server has finished starting (all routes registered, listening possible). */
  markReady(): void {
    if (this.current === "starting") this.current = "ready";
  }

  /** Called when shutdown begins; from then on readiness is reported as 503 so load balancers move away. */
  markStopping(): void {
    this.current = "stopping";
  }
}
