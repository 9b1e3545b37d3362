import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SYSTEM_ACTOR } from "../../../modules/scraper/audit/audit-actor";
import { AuditLogService } from "../../../modules/scraper/audit/audit-log-service";
import { UserService } from "../../../modules/scraper/users/user-service";
import { call, snapshotDatabase, startApi, type ApiUnderTest, type CallOptions } from "../../support/http-harness";
import { createModuleRoot } from "../../support/module-root";

const BASE = "/api/v1/modules/scraper";
const HASH = "a".repeat(64);

describe("scraper module routes over HTTP, with sessions and roles", () => {
  const temp = createModuleRoot("scraper-routes", ["scraper"]);
  let api: ApiUnderTest;
  let adminToken: string;
  let userToken: string;
  let userId: string;
  const as = (token: string | undefined, method: string, route: string, options: CallOptions = {}) =>
    call(api.url, method, `${BASE}${route}`, { ...options, headers: { ...(options.headers ?? {}), ...(token === undefined ? {} : { "x-session-token": token }) } });
  const file = () => path.join(temp.dataDir, "scraper.db");

  beforeAll(async () => {
    api = await startApi(temp, {}, { strict: true });
    // The first admin comes from module code (a seed or an operator's script), never from an open route.
    const admin = await api.framework.resolve(UserService).register(SYSTEM_ACTOR, { username: "root", email: "root@example.com", password: "admin password", role: "admin" });
    if (admin.isErr()) throw new Error(admin.error.message);
    adminToken = (await as(undefined, "POST", "/sessions", { json: { username: "root", password: "admin password" } })).body.token;
  });
  afterAll(async () => {
    await api?.stop();
    temp.remove();
  });

  it("registers a user, logs in, and identifies the caller by its session token", async () => {
    const registered = await as(undefined, "POST", "/users", { json: { username: "ada", email: "Ada@Example.com", password: "correct horse" } });
    expect(registered.status).toBe(201);
    expect(registered.body).toMatchObject({ username: "ada", email: "ada@example.com", role: "user", is_active: true });
    expect(registered.text).not.toContain("password");
    userId = registered.body.id;
    const taken = await as(undefined, "POST", "/users", { json: { username: "ada", email: "other@example.com", password: "correct horse" } });
    expect(taken.status).toBe(409);
    expect(taken.body.error.code).toBe("CONSTRAINT_VIOLATION");

    const wrong = await as(undefined, "POST", "/sessions", { json: { username: "ada", password: "wrong password" } });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error).toEqual({ code: "INVALID_CREDENTIALS", message: "Username or password is wrong.", module: "scraper", details: { database: "scraper" } });
    const login = await as(undefined, "POST", "/sessions", { json: { username: "ada", password: "correct horse" } });
    expect(login.status).toBe(201);
    expect(login.body).toMatchObject({ user_id: userId, token: expect.stringMatching(/.{20,}/) });
    userToken = login.body.token;

    const current = await as(userToken, "GET", "/sessions/current");
    expect(current.status).toBe(200);
    expect(current.body.user).toMatchObject({ id: userId, username: "ada", role: "user" });
    const anonymous = await as(undefined, "GET", "/sessions/current");
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error).toMatchObject({ code: "SESSION_INVALID", module: "scraper", details: { header: "x-session-token" } });
    expect((await as("not-a-token", "GET", "/sessions/current")).status).toBe(401);
  });

  it("creates a job for the session's user, moves it through its states and attaches an artifact", async () => {
    const job = await as(userToken, "POST", "/jobs", { json: { job_type: "web", keywords: ["acme"], configuration: { depth: 2 }, total_items: 4 } });
    expect(job.status).toBe(201);
    expect(job.body).toMatchObject({ user_id: userId, status: "pending", keywords: ["acme"], configuration: { depth: "2" } });
    const id = job.body.id as string;
    const early = await as(userToken, "POST", `/jobs/${id}/status`, { json: { status: "completed" } });
    expect(early.status).toBe(409);
    expect(early.body.error).toMatchObject({ code: "INVALID_STATUS_TRANSITION", module: "scraper", details: { from: "pending", to: "completed" } });
    expect((await as(userToken, "POST", `/jobs/${id}/status`, { json: { status: "running" } })).body.status).toBe("running");

    const artifact = await as(userToken, "POST", `/jobs/${id}/artifacts`, {
      json: { artifact_type: "web_page", content_hash: HASH, minio_path: "bucket/a.html", tags: [{ type: "keyword", key: "acme" }], extractions: [{ type: "text", data: { words: 3 }, confidence: 0.876 }] },
    });
    expect(artifact.status).toBe(201);
    expect(artifact.body).toMatchObject({ job_id: id, user_id: userId, content_hash: HASH, tags: [{ tag_type: "keyword", tag_key: "acme" }], extractions: [{ extraction_type: "text", extracted_data: { words: 3 }, confidence_score: 0.88 }] });
    const completed = await as(userToken, "POST", `/jobs/${id}/status`, { json: { status: "completed" } });
    expect(completed.body).toMatchObject({ status: "completed", progress: 100 });
    expect((await as(userToken, "GET", `/jobs/${id}`)).body).toMatchObject({ id, status: "completed", configuration: { depth: "2" } });
    // Another user's job: neither readable nor movable by a plain user; an admin may read it.
    await as(undefined, "POST", "/users", { json: { username: "eve", email: "eve@example.com", password: "eve password" } });
    const eve = (await as(undefined, "POST", "/sessions", { json: { username: "eve", password: "eve password" } })).body.token as string;
    const peek = await as(eve, "GET", `/jobs/${id}`);
    expect(peek.status).toBe(403);
    expect(peek.body.error).toMatchObject({ code: "ROLE_FORBIDDEN", details: { required_role: "admin", role: "user" } });
    expect((await as(eve, "POST", `/jobs/${id}/artifacts`, { json: { artifact_type: "paper", content_hash: HASH, minio_path: "x" } })).status).toBe(403);
    expect((await as(adminToken, "GET", `/jobs/${id}`)).status).toBe(200);
    expect((await as(undefined, "POST", "/jobs", { json: { job_type: "web", keywords: ["x"] } })).status).toBe(401);
  });

  it("refuses admin-only operations to the user role with ROLE_FORBIDDEN naming the role, and changes nothing", async () => {
    const before = snapshotDatabase(file());
    const promote = await as(userToken, "PATCH", `/users/${userId}`, { json: { role: "admin" } });
    expect(promote.status).toBe(403);
    expect(promote.body.error).toMatchObject({ code: "ROLE_FORBIDDEN", module: "scraper", details: { required_role: "admin", role: "user" } });
    expect(promote.body.error.message).toContain("needs the 'admin' role");
    const config = await as(userToken, "PUT", "/config/scraper.max_concurrent_jobs", { json: { value: 99, type: "integer" } });
    expect(config.status).toBe(403);
    expect(config.body.error.details).toMatchObject({ operation: "Writing the system configuration", required_role: "admin" });
    expect((await as(userToken, "GET", "/users")).status).toBe(403);
    const newAdmin = await as(userToken, "POST", "/users", { json: { username: "mallory", email: "m@example.com", password: "mallory pass", role: "admin" } });
    expect(newAdmin.status).toBe(403);
    expect((await as(undefined, "POST", "/users", { json: { username: "mallory", email: "m@example.com", password: "mallory pass", role: "admin" } })).status).toBe(401);
    expect(snapshotDatabase(file())).toBe(before);

    // A user may still change their own name; not another user's.
    expect((await as(userToken, "PATCH", `/users/${userId}`, { json: { full_name: "Ada L." } })).body.full_name).toBe("Ada L.");
    const root = (await as(adminToken, "GET", "/sessions/current")).body.user.id as string;
    expect((await as(userToken, "PATCH", `/users/${root}`, { json: { full_name: "pwned" } })).body.error.code).toBe("ROLE_FORBIDDEN");
  });

  it("lets the admin role do what the user role cannot", async () => {
    const config = await as(adminToken, "PUT", "/config/scraper.max_concurrent_jobs", { json: { value: 8, type: "integer", description: "Jobs at once." } });
    expect(config.status).toBe(200);
    expect(config.body).toEqual({ key: "scraper.max_concurrent_jobs", config_type: "integer", description: "Jobs at once.", is_sensitive: false, value: 8 });
    const secret = await as(adminToken, "PUT", "/config/scraper.api_key", { json: { value: "s3cr3t-value", is_sensitive: true } });
    expect(secret.body).toEqual({ key: "scraper.api_key", config_type: "string", description: null, is_sensitive: true });
    const listed = await as(userToken, "GET", "/config");
    expect(listed.body.settings.map((setting: { key: string }) => setting.key)).toEqual(["scraper.api_key", "scraper.max_concurrent_jobs"]);
    expect(listed.text).not.toContain("s3cr3t-value");

    const promoted = await as(adminToken, "PATCH", `/users/${userId}`, { json: { role: "admin" } });
    expect(promoted.status).toBe(200);
    expect(promoted.body.role).toBe("admin");
    // The role is read on every request: the same session now holds admin rights.
    expect((await as(userToken, "GET", "/users")).body.users.map((user: { username: string }) => user.username)).toEqual(["ada", "eve", "root"]);
    const second = await as(adminToken, "POST", "/users", { json: { username: "grace", email: "grace@example.com", password: "grace pass", role: "admin" } });
    expect(second.status).toBe(201);
    expect(second.body.role).toBe("admin");
  });

  it("ends a session on logout, and the audit log names the acting user", async () => {
    const login = await as(undefined, "POST", "/sessions", { json: { username: "grace", password: "grace pass" } });
    expect((await as(login.body.token, "DELETE", "/sessions/current")).status).toBe(204);
    expect((await as(login.body.token, "GET", "/sessions/current")).status).toBe(401);
    const trail = await api.framework.resolve(AuditLogService).list({ action: "config.create" });
    if (trail.isErr()) throw new Error(trail.error.message);
    const root = await api.framework.resolve(UserService).list();
    if (root.isErr()) throw new Error(root.error.message);
    const rootId = root.value.find((user) => user.username === "root")?.id;
    expect(trail.value.map((row) => [row.user_id, row.ip_address])).toEqual([
      [rootId, "127.0.0.1"],
      [rootId, "127.0.0.1"],
    ]);
  });
});
