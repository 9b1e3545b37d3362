import { err, ok, type Result } from "neverthrow";
import type { UserRole } from "../entities/user";
import { scraperError, type ScraperError } from "../support/scraper-error";
import type { UserView } from "./user-view";

/**
 * What each role may do beyond its own account. `user` (the seed's default) works on its own jobs
 * and artifacts; `admin` also changes other users (their role, their active flag), lists users,
 * and writes the system configuration. A role the column holds but this list does not know
 * (a hand-edited row) is treated as `user`.
 */
const RANK: Readonly<Record<UserRole, number>> = { user: 0, admin: 1 };

/** The rank of a stored role; unknown and null roles rank as `user`. */
function rankOf(role: string | null): number {
  return role !== null && role in RANK ? RANK[role as UserRole] : RANK.user;
}

/** True when `user` holds `required` or a role above it. */
export function hasRole(user: UserView, required: UserRole): boolean {
  return rankOf(user.role) >= RANK[required];
}

/**
 * OK when `user` may perform `operation`, which needs `required`; otherwise ROLE_FORBIDDEN naming
 * the operation, the role it needs and the role the user has.
 */
export function requireRole(user: UserView, required: UserRole, operation: string): Result<UserView, ScraperError> {
  if (hasRole(user, required)) return ok(user);
  return err(
    scraperError("ROLE_FORBIDDEN", `${operation} needs the '${required}' role; user '${user.username}' is '${user.role ?? "user"}'.`, {
      operation,
      required_role: required,
      role: user.role ?? "user",
    }),
  );
}

/** OK when `user` owns the resource (`ownerId`) or is an admin; ROLE_FORBIDDEN otherwise. */
export function requireOwnerOrAdmin(user: UserView, ownerId: string | null, operation: string): Result<UserView, ScraperError> {
  return ownerId !== null && ownerId === user.id ? ok(user) : requireRole(user, "admin", `${operation} of another user's resource`);
}
