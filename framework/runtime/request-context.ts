import { AsyncLocalStorage } from "node:async_hooks";

/** What the framework knows about the request a piece of work runs for. */
export interface RequestContext {
  /** The HTTP request id (the `X-Request-Id` the API answers with). */
  readonly requestId: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

/**
 * Runs `work` as part of a request: database work it starts, however deep (the gate, the engine,
 * a slow-statement report), can tell which request it serves without the id being passed down.
 */
export function runInRequestContext<T>(context: RequestContext, work: () => T): T {
  return storage.run(context, work);
}

/** The request the current work serves, or undefined outside any request (boot, scheduler jobs, the CLI). */
export function currentRequestContext(): RequestContext | undefined {
  return storage.getStore();
}
