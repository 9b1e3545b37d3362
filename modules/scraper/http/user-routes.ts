import { errAsync, okAsync } from "neverthrow";
import type { ModuleRouteContext, ModuleRouter } from "../../../framework";
import type { UserRole } from "../entities/user";
import { SessionService } from "../sessions/session-service";
import { requireRole } from "../users/roles";
import type { RegisterUserInput, UpdateUserInput } from "../users/user-input";
import { UserService } from "../users/user-service";
import { actorOf, callerSession, callerWithRole, presentedSession } from "./caller";
import { currentSessionSchema, loginBody, openedSessionSchema, registerBody, sessionHeaders, updateUserBody, userSchema, uuidParams } from "./scraper-schemas";

type Id = { Params: { id: string } };

/**
 * Accounts and sessions. Registering is open (as the seed's sign-up is), but only for the `user`
 * role: creating an admin needs an admin's session. Changing another user, or anyone's role or
 * active flag, needs an admin's session; a user may change their own email and name.
 */
export function userRoutes(router: ModuleRouter, { resolve }: ModuleRouteContext): void {
  router.post<{ Body: RegisterUserInput & { role?: UserRole } }>(
    "/users",
    { scope: "write", status: 201, schema: { summary: "Register a user (role admin: an admin's session is needed)", headers: sessionHeaders, body: registerBody, response: { 201: userSchema } } },
    (request) => {
      const users = resolve(UserService);
      const wantsAdmin = (request.body.role ?? "user") !== "user";
      // Without a session the actor is nobody; a session, when sent, must be valid.
      const caller = wantsAdmin
        ? callerWithRole(request, resolve(SessionService), "admin", `Registering a user with role '${request.body.role}'`).map((session) => actorOf(request, session))
        : presentedSession(request) === undefined
          ? okAsync(actorOf(request))
          : callerSession(request, resolve(SessionService)).map((session) => actorOf(request, session));
      return caller.andThen((actor) => users.register(actor, request.body));
    },
  );
  router.get<{ Querystring: { include_deleted: boolean; limit: number } }>(
    "/users",
    {
      scope: "read",
      schema: {
        summary: "List users (admin role)",
        headers: sessionHeaders,
        querystring: { type: "object", additionalProperties: false, properties: { include_deleted: { type: "boolean", default: false }, limit: { type: "integer", minimum: 1, maximum: 1000, default: 100 } } },
        response: { 200: { type: "object", required: ["users"], properties: { users: { type: "array", items: userSchema } } } },
      },
    },
    (request) =>
      callerWithRole(request, resolve(SessionService), "admin", "Listing users").andThen(() =>
        resolve(UserService).list({ includeDeleted: request.query.include_deleted, limit: request.query.limit }).map((users) => ({ users })),
      ),
  );
  router.patch<Id & { Body: UpdateUserInput }>(
    "/users/:id",
    { scope: "write", schema: { summary: "Change a user: own email and name; anyone's role or active flag, or another user, needs the admin role", headers: sessionHeaders, params: uuidParams, body: updateUserBody, response: { 200: userSchema } } },
    (request) =>
      callerSession(request, resolve(SessionService)).andThen((session) => {
        const privileged = request.body.role !== undefined || request.body.is_active !== undefined;
        const other = request.params.id !== session.user.id;
        const allowed = privileged || other ? requireRole(session.user, "admin", privileged ? "Changing a user's role or active flag" : "Changing another user") : requireRole(session.user, "user", "Changing your account");
        return allowed.isErr() ? errAsync(allowed.error) : resolve(UserService).update(actorOf(request, session), request.params.id, request.body);
      }),
  );
  router.post<{ Body: { username: string; password: string; ttl_ms?: number } }>(
    "/sessions",
    { scope: "write", status: 201, schema: { summary: "Log in: the session token is returned once", body: loginBody, response: { 201: openedSessionSchema } } },
    (request) =>
      resolve(SessionService)
        .login(actorOf(request), request.body.username, request.body.password, request.body.ttl_ms)
        .map((opened) => ({ token: opened.token, session_id: opened.sessionId, user_id: opened.userId, expires_at: opened.expiresAt })),
  );
  router.get(
    "/sessions/current",
    { scope: "read", schema: { summary: "The caller's session and user (X-Session-Token)", headers: sessionHeaders, response: { 200: currentSessionSchema } } },
    (request) => callerSession(request, resolve(SessionService)).map((session) => ({ session_id: session.sessionId, expires_at: session.expiresAt, user: session.user })),
  );
  router.delete(
    "/sessions/current",
    { scope: "write", status: 204, schema: { summary: "Log out: the caller's session ends now", headers: sessionHeaders, response: { 204: { type: "null" } } } },
    (request) => {
      const sessions = resolve(SessionService);
      return callerSession(request, sessions).andThen((session) => sessions.expire(actorOf(request, session), presentedSession(request) ?? ""));
    },
  );
}
