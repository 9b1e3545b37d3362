import type { DbError } from "./db-error";

/** What a module error code must look like: upper-case words joined by `_`, e.g. `BOOK_UNAVAILABLE`. */
export const MODULE_ERROR_CODE_PATTERN = /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/;

/**
 * An error a module defines for itself, typed by its own code union: a service returns
 * `Result<Loan, ModuleError<"BOOK_UNAVAILABLE" | "LIMIT_REACHED">>` and callers narrow on `code`,
 * while {@link DbErrorCode} stays the closed list of the data layer's codes. The HTTP layer answers
 * it in the standard shape `{ error: { code, message, module, details } }` with `status` (409 when unset).
 */
export interface ModuleError<C extends string> {
  readonly code: C;
  readonly message: string;
  /** The module that raised it, reported as `error.module`. */
  readonly module: string;
  /** HTTP status for the API (400–599); 409 (a conflict with the state of things) when absent. */
  readonly status?: number;
  readonly details?: Readonly<Record<string, unknown>>;
  /** Marks the object as a module error (codes may look like data-layer ones). */
  readonly kind: "module";
}

/** Either half a module service usually returns: its own errors, or the data layer's. */
export type ModuleOrDbError<C extends string> = ModuleError<C> | DbError;

/** Builds a {@link ModuleError}; a code that does not match {@link MODULE_ERROR_CODE_PATTERN} is a programming error and throws. */
export function moduleError<C extends string>(module: string, code: C, message: string, options: { status?: number; details?: Record<string, unknown> } = {}): ModuleError<C> {
  if (!MODULE_ERROR_CODE_PATTERN.test(code)) throw new Error(`Module error code '${code}' must be upper-case words joined by '_'.`);
  if (options.status !== undefined && !(Number.isInteger(options.status) && options.status >= 400 && options.status <= 599)) throw new Error(`Module error status ${options.status} must be 400–599.`);
  return { kind: "module", code, message, module, ...(options.status === undefined ? {} : { status: options.status }), ...(options.details === undefined ? {} : { details: options.details }) };
}

/** True for a {@link ModuleError}. */
export function isModuleError(value: unknown): value is ModuleError<string> {
  return typeof value === "object" && value !== null && (value as { kind?: unknown }).kind === "module" && typeof (value as { code?: unknown }).code === "string" && typeof (value as { module?: unknown }).module === "string";
}
