import type { FastifyRequest } from "fastify";
import { errAsync, type ResultAsync } from "neverthrow";
import type { AuditActor } from "../audit/audit-actor";
import type { UserRole } from "../entities/user";
import type { AuthenticatedSession, SessionService } from "../sessions/session-service";
import { scraperError, type ScraperError } from "../support/scraper-error";
import { requireRole } from "../users/roles";

/**
 * The header a scraper route reads the caller's session token from (the token `POST /sessions`
 * returned). It is checked on top of the API's bearer token: the bearer token says which client
 * may call the API at all, the session says which scraper user is acting.
 */
export const SESSION_HEADER = "x-session-token";

/** The session token a request carries, if any. */
export function presentedSession(request: FastifyRequest): string | undefined {
  const value = request.headers[SESSION_HEADER];
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** The caller's valid session; SESSION_INVALID when the header is missing, unknown or expired. */
export function callerSession(request: FastifyRequest, sessions: SessionService): ResultAsync<AuthenticatedSession, ScraperError> {
  const token = presentedSession(request);
  if (token === undefined) return errAsync(scraperError("SESSION_INVALID", `This route needs a session: send the token POST /sessions returned in the ${SESSION_HEADER} header.`, { header: SESSION_HEADER }));
  return sessions.authenticate(token);
}

/** The caller's session, holding `role` (or above) for `operation`; SESSION_INVALID or ROLE_FORBIDDEN otherwise. */
export function callerWithRole(request: FastifyRequest, sessions: SessionService, role: UserRole, operation: string): ResultAsync<AuthenticatedSession, ScraperError> {
  return callerSession(request, sessions).andThen((session) => requireRole(session.user, role, operation).map(() => session));
}

/** Who acts, as the scraper's audit log records it: the session's user (or nobody), from the request's address and agent. */
export function actorOf(request: FastifyRequest, session?: AuthenticatedSession): AuditActor {
  const agent = request.headers["user-agent"];
  return { userId: session?.user.id ?? null, ipAddress: request.ip, userAgent: typeof agent === "string" ? agent.slice(0, 500) : null };
}
