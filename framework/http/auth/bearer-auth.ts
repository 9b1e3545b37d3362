import { createHash, timingSafeEqual } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { apiError } from "../errors/api-error";
import { sendApiError } from "../errors/error-handler";

/** Route config flag: the route changes data and needs the API token when one is configured. */
export interface WriteRouteConfig {
  readonly writes?: boolean;
}

function digest(value: string): Buffer {
  return createHash("sha256").update(value, "utf8").digest();
}

/**
 * Compares a presented token with the expected one in constant time. Both are hashed first so
 * neither the comparison time nor an early length check reveals how much of a guess was right.
 */
export function tokensMatch(presented: string, expected: string): boolean {
  return timingSafeEqual(digest(presented), digest(expected));
}

/** The token of an `Authorization: Bearer <token>` header, if that is what the header holds. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer[ ]+([^\s]+)\s*$/i.exec(header ?? "");
  return match?.[1];
}

/**
 * Requires `Authorization: Bearer <apiToken>` on every route whose config says it writes. Runs
 * before the body is read, so an unauthenticated client cannot make the server parse anything.
 * Without a token (loopback only, enforced by the settings) writing routes stay open.
 */
export function registerBearerAuth(app: FastifyInstance, apiToken: string | undefined): void {
  if (apiToken === undefined) return;
  app.addHook("onRequest", async (request, reply) => {
    if ((request.routeOptions.config as WriteRouteConfig).writes !== true) return;
    const presented = bearerToken(request.headers.authorization);
    if (presented !== undefined && tokensMatch(presented, apiToken)) return;
    reply.header("www-authenticate", 'Bearer realm="moduledb"');
    const message = presented === undefined ? "This route changes data: send Authorization: Bearer <API_TOKEN>." : "The bearer token is not valid.";
    return sendApiError(request, reply, apiError("UNAUTHORIZED", message, "core.http", {}));
  });
}
