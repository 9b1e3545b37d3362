import { randomUUID } from "node:crypto";
import { err, errAsync, ok, okAsync, ResultAsync } from "neverthrow";
import { injectable } from "tsyringe";
import { InjectDatabase } from "../../../framework/container/tokens";
import type { ModuleDatabase } from "../../../framework/database/module-database";
import type { AuditActor } from "../audit/audit-actor";
import { recordAudit } from "../audit/record-audit";
import { DATABASE_NAME } from "../db-models";
import { User } from "../entities/user";
import { notFound, scraperError, type ScraperError } from "../support/scraper-error";
import { readQuery, writeTransaction } from "../support/write-transaction";
import { hashPassword, unknownUserHash, verifyPassword } from "./password-hash";
import { checkPassword, checkRegistration, checkUpdate, type RegisterUserInput, type UpdateUserInput } from "./user-input";
import { toUserView, type UserView } from "./user-view";

/** Listing options: soft-deleted users are left out unless asked for. */
export interface UserListOptions {
  readonly includeDeleted?: boolean;
  readonly limit?: number;
  readonly offset?: number;
}

/** Names the taken column when a UNIQUE constraint on users fails, so the caller can say which. */
function explainDuplicate(error: ScraperError, username: string, email: string): ScraperError {
  if (error.code !== "CONSTRAINT_VIOLATION") return error;
  if (error.message.includes("users.username")) return scraperError("CONSTRAINT_VIOLATION", `Username '${username}' is already taken.`, { ...error.details, field: "username" });
  if (error.message.includes("users.email")) return scraperError("CONSTRAINT_VIOLATION", `Email '${email}' is already registered.`, { ...error.details, field: "email" });
  return error;
}

function hash(password: string): ResultAsync<string, ScraperError> {
  return ResultAsync.fromPromise(hashPassword(password), (error) => scraperError("QUERY_FAILED", `Password hashing failed: ${error instanceof Error ? error.message : String(error)}`));
}

/**
 * Accounts: registration with a salted scrypt hash, password verification, updates, soft delete
 * and restore, and purge. Every change writes its audit row in the same transaction.
 */
@injectable()
export class UserService {
  constructor(@InjectDatabase(DATABASE_NAME) private readonly database: ModuleDatabase) {}

  /** Registers a user; a taken username or email is CONSTRAINT_VIOLATION naming the field, and nothing is written. */
  register(actor: AuditActor, input: RegisterUserInput): ResultAsync<UserView, ScraperError> {
    const checked = checkRegistration(input);
    if (checked.isErr()) return errAsync(checked.error);
    const { username, email, password, full_name, role } = checked.value;
    // Hash before the transaction: scrypt is slow on purpose and must not hold the write lock.
    return hash(password).andThen((password_hash) =>
      writeTransaction(this.database, async (manager) => {
        const id = randomUUID();
        await manager.insert(User, { id, username, email, password_hash, full_name, role });
        await recordAudit(manager, actor, { action: "user.create", resourceType: "user", resourceId: id, details: { username, email, role } });
        const user = await manager.findOneByOrFail(User, { id });
        return ok(toUserView(user));
      }).mapErr((error) => explainDuplicate(error, username, email)),
    );
  }

  /**
   * The user whose username and password match; INVALID_CREDENTIALS otherwise (also for deleted or
   * inactive users). An unknown username costs as much time as a wrong password.
   */
  verifyPassword(username: string, password: string): ResultAsync<UserView, ScraperError> {
    const invalid = scraperError("INVALID_CREDENTIALS", "Username or password is wrong.");
    if (typeof username !== "string" || typeof password !== "string") return errAsync(invalid);
    return readQuery(this.database, (manager) => manager.findOneBy(User, { username })).andThen((user) =>
      ResultAsync.fromSafePromise(
        (async () => {
          const matches = await verifyPassword(password, user?.password_hash ?? (await unknownUserHash));
          return matches && user !== null && user.is_active !== false;
        })(),
      ).andThen((accepted) => (accepted && user !== null ? ok(toUserView(user)) : err(invalid))),
    );
  }

  /** One user; soft-deleted ones only with `includeDeleted`. */
  get(id: string, options: { includeDeleted?: boolean } = {}): ResultAsync<UserView, ScraperError> {
    return readQuery(this.database, (manager) => manager.findOne(User, { where: { id }, withDeleted: options.includeDeleted === true })).andThen((user) =>
      user === null ? err(notFound("user", id)) : ok(toUserView(user)),
    );
  }

  /** Users by username; soft-deleted ones only with `includeDeleted`. */
  list(options: UserListOptions = {}): ResultAsync<UserView[], ScraperError> {
    const take = Math.min(Math.max(options.limit ?? 100, 1), 1000);
    return readQuery(this.database, (manager) =>
      manager.find(User, { withDeleted: options.includeDeleted === true, order: { username: "ASC" }, take, skip: Math.max(options.offset ?? 0, 0) }),
    ).map((users) => users.map(toUserView));
  }

  /** Changes email, name, role or active flag of a live user. */
  update(actor: AuditActor, id: string, input: UpdateUserInput): ResultAsync<UserView, ScraperError> {
    const changes = checkUpdate(input);
    if (changes.isErr()) return errAsync(changes.error);
    return writeTransaction(this.database, async (manager) => {
      const existing = await manager.findOneBy(User, { id });
      if (existing === null) return err(notFound("user", id));
      await manager.update(User, { id }, changes.value);
      await recordAudit(manager, actor, { action: "user.update", resourceType: "user", resourceId: id, details: { changed: changes.value } });
      return ok(toUserView(await manager.findOneByOrFail(User, { id })));
    }).mapErr((error) => explainDuplicate(error, "", input.email ?? ""));
  }

  /** Replaces a user's password (hashed with a new salt). */
  changePassword(actor: AuditActor, id: string, newPassword: string): ResultAsync<void, ScraperError> {
    const checked = checkPassword(newPassword);
    if (checked.isErr()) return errAsync(checked.error);
    return hash(checked.value).andThen((password_hash) =>
      writeTransaction(this.database, async (manager) => {
        const result = await manager.update(User, { id }, { password_hash });
        if (result.affected !== 1) return err(notFound("user", id));
        await recordAudit(manager, actor, { action: "user.password.change", resourceType: "user", resourceId: id });
        return ok(undefined);
      }),
    );
  }

  /** Soft-deletes a user: the row stays (with its jobs and artifacts) but listings and logins skip it. */
  softDelete(actor: AuditActor, id: string): ResultAsync<void, ScraperError> {
    return writeTransaction(this.database, async (manager) => {
      const result = await manager.softDelete(User, { id });
      if (result.affected !== 1) return err(notFound("user", id));
      await recordAudit(manager, actor, { action: "user.delete", resourceType: "user", resourceId: id, details: { soft: true } });
      return ok(undefined);
    });
  }

  /** Brings back a soft-deleted user. */
  restore(actor: AuditActor, id: string): ResultAsync<UserView, ScraperError> {
    return writeTransaction(this.database, async (manager) => {
      const user = await manager.findOne(User, { where: { id }, withDeleted: true });
      if (user === null || user.deleted_at === null) return err(notFound("deleted user", id));
      await manager.restore(User, { id });
      await recordAudit(manager, actor, { action: "user.restore", resourceType: "user", resourceId: id });
      return ok(toUserView(await manager.findOneByOrFail(User, { id })));
    });
  }

  /**
   * Removes a user for good (deleted or not). Sessions, jobs, artifacts and rate-limit rows go with
   * it (ON DELETE CASCADE); audit rows stay with their user_id set to NULL (ON DELETE SET NULL).
   */
  purge(actor: AuditActor, id: string): ResultAsync<void, ScraperError> {
    return writeTransaction(this.database, async (manager) => {
      const user = await manager.findOne(User, { where: { id }, withDeleted: true });
      if (user === null) return err(notFound("user", id));
      // Audit first: if the actor is the user being purged, SET NULL then clears this row's user_id too.
      await recordAudit(manager, actor, { action: "user.purge", resourceType: "user", resourceId: id, details: { username: user.username } });
      await manager.delete(User, { id });
      return ok(undefined);
    });
  }

  /** True when the user exists, is active and not deleted; used by other services before they act for a user. */
  isActive(id: string): ResultAsync<boolean, ScraperError> {
    if (typeof id !== "string" || id === "") return okAsync(false);
    return readQuery(this.database, (manager) => manager.findOneBy(User, { id })).map((user) => user !== null && user.is_active !== false);
  }
}
