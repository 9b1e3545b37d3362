/** Why boot stopped. */
export type BootErrorCode = "INVALID_SETTING" | "DISCOVERY_FAILED" | "SCHEMA_REFUSED" | "DATABASE_OPEN_FAILED" | "DATABASE_IN_USE";

/** Thrown (as a rejected boot) when the framework cannot start; `problems` holds one line per cause. */
export class BootError extends Error {
  constructor(
    readonly code: BootErrorCode,
    message: string,
    readonly problems: readonly string[] = [],
  ) {
    super(problems.length > 0 ? `${message}\n  - ${problems.join("\n  - ")}` : message);
    this.name = "BootError";
  }
}
