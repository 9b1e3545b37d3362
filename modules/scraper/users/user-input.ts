import { err, ok, Result } from "neverthrow";
import { USER_ROLES, type UserRole } from "../entities/user";
import { invalidInput, type ScraperError } from "../support/scraper-error";

/** What registering a user needs. */
export interface RegisterUserInput {
  readonly username: string;
  readonly email: string;
  readonly password: string;
  readonly full_name?: string | null;
  readonly role?: UserRole;
}

/** Fields of a user that may be changed (the password has its own method). */
export interface UpdateUserInput {
  readonly email?: string;
  readonly full_name?: string | null;
  readonly role?: UserRole;
  readonly is_active?: boolean;
}

const USERNAME = /^[A-Za-z0-9_.-]{3,50}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** Shortest password accepted. */
export const MIN_PASSWORD_LENGTH = 8;
const MAX_PASSWORD_LENGTH = 1024;

/** A username of 3..50 letters, digits, `_`, `.` or `-`. */
export function checkUsername(value: unknown): Result<string, ScraperError> {
  return typeof value === "string" && USERNAME.test(value) ? ok(value) : err(invalidInput("username", "must be 3 to 50 letters, digits, '_', '.' or '-'."));
}

/** An email address of at most 255 characters, stored lower-cased so uniqueness ignores case. */
export function checkEmail(value: unknown): Result<string, ScraperError> {
  return typeof value === "string" && value.length <= 255 && EMAIL.test(value) ? ok(value.toLowerCase()) : err(invalidInput("email", "must be an email address of at most 255 characters."));
}

/** A password long enough to be worth hashing, short enough not to be a denial of service. */
export function checkPassword(value: unknown): Result<string, ScraperError> {
  return typeof value === "string" && value.length >= MIN_PASSWORD_LENGTH && value.length <= MAX_PASSWORD_LENGTH
    ? ok(value)
    : err(invalidInput("password", `must be ${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD_LENGTH} characters.`));
}

/** An optional full name of at most 100 characters. */
export function checkFullName(value: unknown): Result<string | null, ScraperError> {
  if (value === undefined || value === null) return ok(null);
  return typeof value === "string" && value.length <= 100 ? ok(value) : err(invalidInput("full_name", "must be a string of at most 100 characters."));
}

/** One of {@link USER_ROLES}. */
export function checkRole(value: unknown): Result<UserRole, ScraperError> {
  return USER_ROLES.includes(value as UserRole) ? ok(value as UserRole) : err(invalidInput("role", `must be one of ${USER_ROLES.join(", ")}.`));
}

/** Checks a registration, field by field. */
export function checkRegistration(input: RegisterUserInput): Result<Required<RegisterUserInput>, ScraperError> {
  return Result.combine([checkUsername(input.username), checkEmail(input.email), checkPassword(input.password), checkFullName(input.full_name), checkRole(input.role ?? "user")]).map(
    ([username, email, password, full_name, role]) => ({ username, email, password, full_name, role }),
  );
}

/** Checks an update and returns only the columns it changes. */
export function checkUpdate(input: UpdateUserInput): Result<Partial<{ email: string; full_name: string | null; role: UserRole; is_active: boolean }>, ScraperError> {
  const changes: Partial<{ email: string; full_name: string | null; role: UserRole; is_active: boolean }> = {};
  if (input.email !== undefined) {
    const email = checkEmail(input.email);
    if (email.isErr()) return err(email.error);
    changes.email = email.value;
  }
  if (input.full_name !== undefined) {
    const name = checkFullName(input.full_name);
    if (name.isErr()) return err(name.error);
    changes.full_name = name.value;
  }
  if (input.role !== undefined) {
    const role = checkRole(input.role);
    if (role.isErr()) return err(role.error);
    changes.role = role.value;
  }
  if (input.is_active !== undefined) {
    if (typeof input.is_active !== "boolean") return err(invalidInput("is_active", "must be a boolean."));
    changes.is_active = input.is_active;
  }
  return Object.keys(changes).length === 0 ? err(invalidInput("(input)", "names no field to change.")) : ok(changes);
}
