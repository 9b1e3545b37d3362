import { randomUUID } from "node:crypto";
import { err, errAsync, ok, type ResultAsync } from "neverthrow";
import { inject, injectable } from "tsyringe";
import { LessThanOrEqual } from "typeorm";
import { InjectDatabase } from "../../../framework/container/tokens";
import type { ModuleDatabase } from "../../../framework/database/module-database";
import type { AuditActor } from "../audit/audit-actor";
import { recordAudit } from "../audit/record-audit";
import { DATABASE_NAME } from "../db-models";
import { User } from "../entities/user";
import { UserSession } from "../entities/user-session";
import { invalidInput, notFound, scraperError, type ScraperError } from "../support/scraper-error";
import { readQuery, writeTransaction } from "../support/write-transaction";
import { UserService } from "../users/user-service";
import { toUserView, type UserView } from "../users/user-view";
import { hashSessionToken, newSessionToken } from "./session-token";

/** Default session lifetime: one day. */
export const DEFAULT_SESSION_TTL_MS = 24 * 60 * 60 * 1000;

/** A session just opened: the token is in here and nowhere else. */
export interface OpenedSession {
  readonly token: string;
  readonly sessionId: string;
  readonly userId: string;
  readonly expiresAt: Date;
}

/** A valid session and its user. */
export interface AuthenticatedSession {
  readonly sessionId: string;
  readonly expiresAt: Date;
  readonly user: UserView;
}

/** Login sessions: open (token returned once, only its hash stored), authenticate, expire, purge. */
@injectable()
export class SessionService {
  constructor(
    @InjectDatabase(DATABASE_NAME) private readonly database: ModuleDatabase,
    @inject(UserService) private readonly users: UserService,
  ) {}

  /** Opens a session for an active user. */
  open(actor: AuditActor, userId: string, ttlMs = DEFAULT_SESSION_TTL_MS): ResultAsync<OpenedSession, ScraperError> {
    if (!Number.isInteger(ttlMs) || ttlMs <= 0) return errAsync(invalidInput("ttlMs", "must be a positive integer of milliseconds."));
    const token = newSessionToken();
    const expiresAt = new Date(Date.now() + ttlMs);
    return writeTransaction(this.database, async (manager) => {
      const user = await manager.findOneBy(User, { id: userId });
      if (user === null || user.is_active === false) return err(notFound("active user", userId));
      const sessionId = randomUUID();
      await manager.insert(UserSession, { id: sessionId, user_id: userId, token_hash: hashSessionToken(token), expires_at: expiresAt });
      await recordAudit(manager, actor, { action: "session.create", resourceType: "user_session", resourceId: sessionId, details: { user_id: userId, expires_at: expiresAt.toISOString() } });
      return ok({ token, sessionId, userId, expiresAt });
    });
  }

  /** Checks username and password, then opens a session for that user. */
  login(actor: AuditActor, username: string, password: string, ttlMs = DEFAULT_SESSION_TTL_MS): ResultAsync<OpenedSession, ScraperError> {
    return this.users.verifyPassword(username, password).andThen((user) => this.open({ ...actor, userId: actor.userId ?? user.id }, user.id, ttlMs));
  }

  /** The session and user behind a token; SESSION_INVALID when unknown, expired, or its user is gone or inactive. */
  authenticate(token: string): ResultAsync<AuthenticatedSession, ScraperError> {
    const invalid = scraperError("SESSION_INVALID", "The session token is unknown or expired.");
    if (typeof token !== "string" || token === "") return errAsync(invalid);
    return readQuery(this.database, async (manager) => {
      const session = await manager.findOneBy(UserSession, { token_hash: hashSessionToken(token) });
      if (session === null || session.expires_at.getTime() <= Date.now() || session.user_id === null) return null;
      const user = await manager.findOneBy(User, { id: session.user_id });
      return user === null || user.is_active === false ? null : { sessionId: session.id, expiresAt: session.expires_at, user: toUserView(user) };
    }).andThen((found) => (found === null ? err(invalid) : ok(found)));
  }

  /** Ends the session of a token now (its row stays until purged, expired). */
  expire(actor: AuditActor, token: string): ResultAsync<void, ScraperError> {
    if (typeof token !== "string" || token === "") return errAsync(scraperError("SESSION_INVALID", "The session token is unknown or expired."));
    return writeTransaction(this.database, async (manager) => {
      const session = await manager.findOneBy(UserSession, { token_hash: hashSessionToken(token) });
      if (session === null) return err(scraperError("SESSION_INVALID", "The session token is unknown or expired."));
      await manager.update(UserSession, { id: session.id }, { expires_at: new Date() });
      await recordAudit(manager, actor, { action: "session.expire", resourceType: "user_session", resourceId: session.id, details: { user_id: session.user_id } });
      return ok(undefined);
    });
  }

  /** Deletes every session expired by `now`; returns how many went. */
  purgeExpired(actor: AuditActor, now: Date = new Date()): ResultAsync<number, ScraperError> {
    return writeTransaction(this.database, async (manager) => {
      const result = await manager.delete(UserSession, { expires_at: LessThanOrEqual(now) });
      const count = result.affected ?? 0;
      if (count > 0) await recordAudit(manager, actor, { action: "session.purge_expired", resourceType: "user_session", resourceId: null, details: { count } });
      return ok(count);
    });
  }
}
