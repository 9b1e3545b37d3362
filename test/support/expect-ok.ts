import type { Result } from "neverthrow";

/** The value of an Ok Result; an Err fails the test with the error itself in the message. */
export function expectOk<T, E>(result: Result<T, E>): T {
  if (result.isErr()) throw new Error(`Expected Ok, got Err: ${JSON.stringify(result.error, null, 2)}`);
  return result.value;
}
