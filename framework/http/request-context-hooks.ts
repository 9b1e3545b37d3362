import type { FastifyInstance } from "fastify";
import { runInRequestContext } from "../runtime/request-context";

/**
 * Makes every request's work run in its request context (see `runtime/request-context`), so the
 * database layer can name the request a slow statement served. Entered at the first hook: the
 * rest of the request (body reading included — a test posts a body large enough to arrive in
 * many chunks) continues from there.
 */
export function registerRequestContext(app: FastifyInstance): void {
  app.addHook("onRequest", (request, _reply, done) => runInRequestContext({ requestId: request.id }, done));
}
