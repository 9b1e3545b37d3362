import { AsyncLocalStorage } from "node:async_hooks";

/** What the framework knows about the request a piece of work runs for. */
export interface RequestContext {
  /** The HTTP request id (the `X-Request-Id` the API answers with). */
  readonly requestId: string;
  /** Who the request acts as (a token name, `anonymous`), once the auth layer has identified it. */
  readonly actor?: string;
}

/** The store: a request's id and actor, or only an actor (a CLI command, say). */
interface WorkContext {
  requestId?: string;
  actor?: string;
}

const storage = new AsyncLocalStorage<WorkContext>();

/**
 * Runs `work` as part of a request: database work it starts, however deep (the gate, the engine,
 * a slow-statement report, the audit trail), can tell which request it serves without the id
 * being passed down.
 */
export function runInRequestContext<T>(context: RequestContext, work: () => T): T {
  return storage.run({ ...context }, work);
}

/** The request the current work serves, or undefined outside any request (boot, scheduler jobs, the CLI). */
export function currentRequestContext(): RequestContext | undefined {
  const store = storage.getStore();
  return store?.requestId === undefined ? undefined : (store as RequestContext);
}

/**
 * Names who the current request acts as. Called by the auth layer once it has identified the
 * token, after the context was entered (the store is shared by the rest of the request). A no-op
 * outside any context.
 */
export function identifyActor(actor: string): void {
  const store = storage.getStore();
  if (store !== undefined) store.actor = actor;
}

/** Runs `work` acting as `actor` (the CLI: `cli:<user>`), keeping the request id of an enclosing request. */
export function runAsActor<T>(actor: string, work: () => T): T {
  const outer = storage.getStore();
  return storage.run({ ...(outer?.requestId === undefined ? {} : { requestId: outer.requestId }), actor }, work);
}

/** The actor of the current work: the one named by {@link identifyActor} or {@link runAsActor}, else undefined. */
export function currentActor(): string | undefined {
  return storage.getStore()?.actor;
}
