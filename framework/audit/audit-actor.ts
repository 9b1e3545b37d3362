import { currentActor, currentRequestContext } from "../runtime/request-context";

/** Who a write is recorded as and which request it served. */
export interface AuditContext {
  readonly actor: string;
  readonly requestId: string | null;
}

/** The actor of writes by a CrudService that no service, request or command identifies. */
export const UNKNOWN_ACTOR = "service:unknown";

/** The actor a module service's CrudService records: `service:<ClassName>`. */
export function serviceActor(name: string): string {
  return `service:${name || "anonymous-class"}`;
}

/**
 * Who the current write acts as. A CrudService bound to a module service (`service:<Class>`)
 * names that service even inside a request, since the service, not the client, decided the
 * write (the request id still links the two). Otherwise the actor of the current context: the
 * request's token name, `anonymous` for a request without one, `cli:<user>` for a CLI command;
 * outside all of them {@link UNKNOWN_ACTOR}.
 */
export function auditContext(bound: string | undefined): AuditContext {
  const request = currentRequestContext();
  const actor = bound ?? currentActor() ?? (request === undefined ? UNKNOWN_ACTOR : "anonymous");
  return { actor: actor.slice(0, 200), requestId: request?.requestId ?? null };
}
