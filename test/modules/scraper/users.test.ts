import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sensitiveColumns } from "../../../framework";
import { SYSTEM_ACTOR } from "../../../modules/scraper/audit/audit-actor";
import { User } from "../../../modules/scraper/entities/user";
import { SessionService } from "../../../modules/scraper/sessions/session-service";
import { UserService } from "../../../modules/scraper/users/user-service";
import { bootModules, type BootedModules } from "../../support/boot-modules";
import { sqliteConnection } from "../../../framework/engines/sqlite/sqlite-connection";

describe("scraper users and sessions", () => {
  let booted: BootedModules;
  let users: UserService;
  let sessions: SessionService;

  beforeAll(async () => {
    booted = await bootModules("scraper-users", ["scraper"]);
    users = booted.framework.resolve(UserService);
    sessions = booted.framework.resolve(SessionService);
  });
  afterAll(() => booted.close());

  const rawUser = (username: string) => sqliteConnection(booted.database("scraper")).prepare("SELECT * FROM users WHERE username = ?").get(username) as Record<string, unknown> | undefined;
  const count = (table: string) => (sqliteConnection(booted.database("scraper")).prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;

  it("stores only a salted scrypt hash and verifies the password", async () => {
    const alice = (await users.register(SYSTEM_ACTOR, { username: "alice", email: "Alice@Example.com", password: "correct horse" }))._unsafeUnwrap();
    expect(alice).not.toHaveProperty("password_hash");
    expect(alice.email).toBe("alice@example.com");
    expect(alice.role).toBe("user");
    expect(alice.is_active).toBe(true);

    const stored = rawUser("alice");
    expect(String(stored?.password_hash)).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(String(stored?.password_hash)).not.toContain("correct horse");

    const bob = (await users.register(SYSTEM_ACTOR, { username: "bob", email: "bob@example.com", password: "correct horse" }))._unsafeUnwrap();
    expect(rawUser("bob")?.password_hash).not.toBe(stored?.password_hash); // different salt, same password

    expect((await users.verifyPassword("alice", "correct horse"))._unsafeUnwrap().id).toBe(alice.id);
    expect((await users.verifyPassword("alice", "wrong horse"))._unsafeUnwrapErr().code).toBe("INVALID_CREDENTIALS");
    expect((await users.verifyPassword("nobody", "correct horse"))._unsafeUnwrapErr().code).toBe("INVALID_CREDENTIALS");
    expect((await users.verifyPassword("bob", "correct horse"))._unsafeUnwrap().id).toBe(bob.id);
  });

  it("rejects a duplicate username or email with CONSTRAINT_VIOLATION naming the field, writing nothing", async () => {
    (await users.register(SYSTEM_ACTOR, { username: "carol", email: "carol@example.com", password: "password1" }))._unsafeUnwrap();
    const usersBefore = count("users");
    const auditBefore = count("audit_logs");

    const sameName = (await users.register(SYSTEM_ACTOR, { username: "carol", email: "other@example.com", password: "password1" }))._unsafeUnwrapErr();
    expect(sameName.code).toBe("CONSTRAINT_VIOLATION");
    expect(sameName.details?.field).toBe("username");

    const sameEmail = (await users.register(SYSTEM_ACTOR, { username: "carol2", email: "CAROL@example.com", password: "password1" }))._unsafeUnwrapErr();
    expect(sameEmail.code).toBe("CONSTRAINT_VIOLATION");
    expect(sameEmail.details?.field).toBe("email");

    expect(count("users")).toBe(usersBefore);
    expect(count("audit_logs")).toBe(auditBefore);
  });

  it("refuses bad registrations with VALIDATION_FAILED naming the field", async () => {
    expect((await users.register(SYSTEM_ACTOR, { username: "x", email: "x@example.com", password: "password1" }))._unsafeUnwrapErr().details?.field).toBe("username");
    expect((await users.register(SYSTEM_ACTOR, { username: "xavier", email: "not-an-email", password: "password1" }))._unsafeUnwrapErr().details?.field).toBe("email");
    expect((await users.register(SYSTEM_ACTOR, { username: "xavier", email: "x@example.com", password: "short" }))._unsafeUnwrapErr().details?.field).toBe("password");
    expect(rawUser("xavier")).toBeUndefined();
  });

  it("marks the password and token hash columns sensitive", () => {
    const db = booted.database("scraper");
    expect([...sensitiveColumns(db.dataSource.getMetadata(User))]).toEqual(["password_hash"]);
    expect([...sensitiveColumns(db.dataSource.getMetadata("UserSession"))]).toEqual(["token_hash"]);
  });

  it("soft-deletes users: hidden from listings and logins unless asked, restorable", async () => {
    const dave = (await users.register(SYSTEM_ACTOR, { username: "dave", email: "dave@example.com", password: "password1" }))._unsafeUnwrap();
    (await users.softDelete({ userId: dave.id }, dave.id))._unsafeUnwrap();

    expect(rawUser("dave")?.deleted_at).not.toBeNull(); // the row is still there
    expect((await users.list())._unsafeUnwrap().map((user) => user.username)).not.toContain("dave");
    expect((await users.list({ includeDeleted: true }))._unsafeUnwrap().map((user) => user.username)).toContain("dave");
    expect((await users.get(dave.id))._unsafeUnwrapErr().code).toBe("RECORD_NOT_FOUND");
    expect((await users.get(dave.id, { includeDeleted: true }))._unsafeUnwrap().deleted_at).toBeInstanceOf(Date);
    expect((await users.verifyPassword("dave", "password1"))._unsafeUnwrapErr().code).toBe("INVALID_CREDENTIALS");

    (await users.restore(SYSTEM_ACTOR, dave.id))._unsafeUnwrap();
    expect((await users.verifyPassword("dave", "password1"))._unsafeUnwrap().id).toBe(dave.id);
  });

  it("opens sessions storing only the token's SHA-256, authenticates and expires them", async () => {
    const erin = (await users.register(SYSTEM_ACTOR, { username: "erin", email: "erin@example.com", password: "password1" }))._unsafeUnwrap();
    const opened = (await sessions.login({ userId: null, ipAddress: "10.0.0.1" }, "erin", "password1"))._unsafeUnwrap();
    expect(opened.userId).toBe(erin.id);

    const row = sqliteConnection(booted.database("scraper")).prepare("SELECT token_hash FROM user_sessions WHERE id = ?").get(opened.sessionId) as { token_hash: string };
    expect(row.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.token_hash).not.toContain(opened.token);

    expect((await sessions.authenticate(opened.token))._unsafeUnwrap().user.id).toBe(erin.id);
    expect((await sessions.authenticate("not-a-token"))._unsafeUnwrapErr().code).toBe("SESSION_INVALID");
    expect((await sessions.login(SYSTEM_ACTOR, "erin", "wrong-password"))._unsafeUnwrapErr().code).toBe("INVALID_CREDENTIALS");

    (await sessions.expire({ userId: erin.id }, opened.token))._unsafeUnwrap();
    expect((await sessions.authenticate(opened.token))._unsafeUnwrapErr().code).toBe("SESSION_INVALID");

    const shortLived = (await sessions.open(SYSTEM_ACTOR, erin.id, 30))._unsafeUnwrap();
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect((await sessions.authenticate(shortLived.token))._unsafeUnwrapErr().code).toBe("SESSION_INVALID");
    expect((await sessions.purgeExpired(SYSTEM_ACTOR))._unsafeUnwrap()).toBe(2);
    expect(count("user_sessions")).toBe(0);
  });

  it("purging a user cascades to sessions, jobs and artifacts and sets audit rows' user_id to NULL", async () => {
    const frank = (await users.register(SYSTEM_ACTOR, { username: "frank", email: "frank@example.com", password: "password1" }))._unsafeUnwrap();
    const actor = { userId: frank.id };
    (await sessions.open(actor, frank.id))._unsafeUnwrap();
    (await users.update(actor, frank.id, { full_name: "Frank" }))._unsafeUnwrap();
    const raw = sqliteConnection(booted.database("scraper"));
    raw.prepare("INSERT INTO scraping_jobs (id, user_id, job_type, keywords) VALUES ('job-f', ?, 'web', '[\"a\"]')").run(frank.id);
    raw.prepare("INSERT INTO artifacts (id, job_id, user_id, artifact_type, content_hash, minio_path) VALUES ('art-f', 'job-f', ?, 'web_page', 'h', 'p')").run(frank.id);
    const auditRows = (raw.prepare("SELECT COUNT(*) AS n FROM audit_logs WHERE user_id = ?").get(frank.id) as { n: number }).n;
    expect(auditRows).toBeGreaterThanOrEqual(2);

    (await users.purge(actor, frank.id))._unsafeUnwrap();

    const left = (sql: string) => (raw.prepare(sql).get(frank.id) as { n: number }).n;
    expect(left("SELECT COUNT(*) AS n FROM users WHERE id = ?")).toBe(0);
    expect(left("SELECT COUNT(*) AS n FROM user_sessions WHERE user_id = ?")).toBe(0);
    expect(left("SELECT COUNT(*) AS n FROM scraping_jobs WHERE user_id = ?")).toBe(0);
    expect(left("SELECT COUNT(*) AS n FROM artifacts WHERE user_id = ?")).toBe(0);
    expect(left("SELECT COUNT(*) AS n FROM audit_logs WHERE user_id = ?")).toBe(0);
    // The audit trail itself survives, detached from the user.
    expect(left("SELECT COUNT(*) AS n FROM audit_logs WHERE user_id IS NULL AND resource_id = ?")).toBeGreaterThanOrEqual(2);
  });
});
