/** The message of anything thrown, for problem lines and boot errors. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
