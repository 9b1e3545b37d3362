import type { FastifyInstance } from "fastify";
import { runInRequestContext } from "../runtime/request-context";

/**
 * Makes every request's work run in its request context (see `runtime/request-context`), so the
 * database layer can name the request a slow statement served. The context is entered twice:
 * at `onRequest` for work done by early hooks, and again at `preHandler`, because reading the body
 * happens in the socket's own callbacks, outside any context entered before it.
 */
export function registerRequestContext(app: FastifyInstance): void {
  app.addHook("onRequest", (request, _reply, done) => runInRequestContext({ requestId: request.id }, done));
  app.addHook("preHandler", (request, _reply, done) => runInRequestContext({ requestId: request.id }, done));
}
