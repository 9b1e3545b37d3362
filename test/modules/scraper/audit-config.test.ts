import { SeedRunner } from "../../../framework/seeds/seed-runner";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sensitiveColumns } from "../../../framework";
import { SYSTEM_ACTOR } from "../../../modules/scraper/audit/audit-actor";
import { SystemConfiguration } from "../../../modules/scraper/entities/system-configuration";
import { AuditLogService } from "../../../modules/scraper/audit/audit-log-service";
import { SystemConfigService } from "../../../modules/scraper/config/system-config-service";
import { JobService } from "../../../modules/scraper/jobs/job-service";
import { ApiRateLimitService } from "../../../modules/scraper/rate-limits/api-rate-limit-service";
import { UserService } from "../../../modules/scraper/users/user-service";
import { bootModules, type BootedModules } from "../../support/boot-modules";
import { sqliteConnection } from "../../../framework/engines/sqlite/sqlite-connection";

describe("scraper audit log, typed configuration, rate limits and seed", () => {
  let booted: BootedModules;
  let users: UserService;
  let config: SystemConfigService;
  let audit: AuditLogService;
  let adminId: string;

  beforeAll(async () => {
    booted = await bootModules("scraper-audit", ["scraper"]);
    users = booted.framework.resolve(UserService);
    config = booted.framework.resolve(SystemConfigService);
    audit = booted.framework.resolve(AuditLogService);
    adminId = (await users.register(SYSTEM_ACTOR, { username: "admin", email: "admin@example.com", password: "password1", role: "admin" }))._unsafeUnwrap().id;
  });
  afterAll(() => booted.close());

  const count = (sql: string, ...params: unknown[]) => (sqliteConnection(booted.database("scraper")).prepare(sql).get(...params) as { n: number }).n;

  it("records who, what, which resource, from where and when for each change", async () => {
    const actor = { userId: adminId, ipAddress: "192.0.2.7", userAgent: "vitest" };
    const user = (await users.register(actor, { username: "audited", email: "audited@example.com", password: "password1" }))._unsafeUnwrap();
    (await users.update(actor, user.id, { full_name: "Audited User" }))._unsafeUnwrap();
    (await users.softDelete(actor, user.id))._unsafeUnwrap();

    const rows = (await audit.list({ resourceType: "user", resourceId: user.id }))._unsafeUnwrap();
    expect(rows.map((row) => row.action).sort()).toEqual(["user.create", "user.delete", "user.update"]);
    for (const row of rows) {
      expect(row).toMatchObject({ user_id: adminId, ip_address: "192.0.2.7", user_agent: "vitest", resource_type: "user", resource_id: user.id });
      expect(row.created_at).toBeInstanceOf(Date);
    }
    expect(rows.find((row) => row.action === "user.update")?.details).toEqual({ changed: { full_name: "Audited User" } });
    expect(JSON.stringify(rows)).not.toContain("password1");
  });

  it("leaves no audit row behind when the change fails", async () => {
    const before = count("SELECT COUNT(*) AS n FROM audit_logs");
    expect((await users.register({ userId: adminId }, { username: "admin", email: "fresh@example.com", password: "password1" }))._unsafeUnwrapErr().code).toBe("CONSTRAINT_VIOLATION");
    expect((await booted.framework.resolve(JobService).start({ userId: adminId }, "missing-job"))._unsafeUnwrapErr().code).toBe("RECORD_NOT_FOUND");
    expect(count("SELECT COUNT(*) AS n FROM audit_logs")).toBe(before);
  });

  it("rolls the change back when its audit row cannot be written", async () => {
    // The actor does not exist, so the audit row breaks audit_logs' foreign key after the change was written.
    const ghost = { userId: "00000000-0000-0000-0000-000000000000" };
    const failure = (await config.set(ghost, "ghost.setting", 1))._unsafeUnwrapErr();
    expect(failure.code).toBe("CONSTRAINT_VIOLATION");
    expect(count("SELECT COUNT(*) AS n FROM system_configurations WHERE config_key = 'ghost.setting'")).toBe(0);
    expect(count("SELECT COUNT(*) AS n FROM audit_logs WHERE user_id = ?", ghost.userId)).toBe(0);
  });

  it("parses values by config_type and never lists sensitive values", async () => {
    const actor = { userId: adminId };
    expect((await config.set(actor, "limits.max_pages", 250))._unsafeUnwrap().setting).toEqual({ type: "integer", value: 250 });
    expect((await config.set(actor, "feature.enabled", false))._unsafeUnwrap().setting).toEqual({ type: "boolean", value: false });
    expect((await config.set(actor, "crawl.sites", { allow: ["a.org"], depth: 2 }))._unsafeUnwrap().setting).toEqual({ type: "json", value: { allow: ["a.org"], depth: 2 } });
    (await config.set(actor, "smtp.password", "hunter22", { isSensitive: true, description: "mail relay" }))._unsafeUnwrap();

    expect((await config.get("limits.max_pages"))._unsafeUnwrap().setting.value).toBe(250);
    expect((await config.get("smtp.password"))._unsafeUnwrap().setting).toEqual({ type: "string", value: "hunter22" });

    const listing = (await config.list())._unsafeUnwrap();
    expect(listing.find((entry) => entry.key === "smtp.password")).toMatchObject({ is_sensitive: true, config_value: null, description: "mail relay" });
    expect(listing.find((entry) => entry.key === "limits.max_pages")?.config_value).toBe("250");
    expect(JSON.stringify(listing)).not.toContain("hunter22");
    const auditRows = (await audit.list({ resourceType: "system_configuration" }))._unsafeUnwrap();
    expect(JSON.stringify(auditRows)).not.toContain("hunter22");
    // The generic CRUD/HTTP layer cannot tell sensitive rows apart, so it never shows the column.
    expect([...sensitiveColumns(booted.database("scraper").dataSource.getMetadata(SystemConfiguration))]).toEqual(["config_value"]);

    // A value that does not fit its declared type is refused and changes nothing.
    expect((await config.set(actor, "limits.max_pages", "lots", { type: "integer" }))._unsafeUnwrapErr().code).toBe("VALIDATION_FAILED");
    expect((await config.get("limits.max_pages"))._unsafeUnwrap().setting.value).toBe(250);

    // Text written around the service that does not parse is reported, not misread.
    sqliteConnection(booted.database("scraper")).prepare("UPDATE system_configurations SET config_value = '12abc' WHERE config_key = 'limits.max_pages'").run();
    const broken = (await config.get("limits.max_pages"))._unsafeUnwrapErr();
    expect(broken.code).toBe("INVALID_CONFIG_VALUE");
    expect(broken.details?.key).toBe("limits.max_pages");
  });

  it("counts API calls per user and endpoint in a window", async () => {
    const limits = booted.framework.resolve(ApiRateLimitService);
    const other = (await users.register(SYSTEM_ACTOR, { username: "caller2", email: "caller2@example.com", password: "password1" }))._unsafeUnwrap().id;
    const actor = { userId: adminId };
    const windowMs = 60_000;

    const results = await Promise.all(Array.from({ length: 5 }, () => limits.record(actor, adminId, "/api/jobs", windowMs)));
    expect(results.map((result) => result._unsafeUnwrap().count).sort()).toEqual([1, 2, 3, 4, 5]);
    (await limits.record(actor, adminId, "/api/artifacts", windowMs))._unsafeUnwrap();
    (await limits.record(actor, other, "/api/jobs", windowMs))._unsafeUnwrap();

    expect((await limits.count(adminId, "/api/jobs", windowMs))._unsafeUnwrap()).toBe(5);
    expect((await limits.count(adminId, "/api/artifacts", windowMs))._unsafeUnwrap()).toBe(1);
    expect((await limits.count(other, "/api/jobs", windowMs))._unsafeUnwrap()).toBe(1);
    expect((await limits.check(adminId, "/api/jobs", 5, windowMs))._unsafeUnwrap()).toMatchObject({ allowed: false, remaining: 0, count: 5 });
    expect((await limits.check(adminId, "/api/jobs", 6, windowMs))._unsafeUnwrap()).toMatchObject({ allowed: true, remaining: 1 });

    // A window that closed: the next call opens a new one.
    const shortMs = 150;
    expect((await limits.record(actor, adminId, "/api/search", shortMs))._unsafeUnwrap().count).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, shortMs + 50));
    expect((await limits.count(adminId, "/api/search", shortMs))._unsafeUnwrap()).toBe(0);
    expect((await limits.record(actor, adminId, "/api/search", shortMs))._unsafeUnwrap().count).toBe(1);
    expect(count("SELECT COUNT(*) AS n FROM api_rate_limits WHERE user_id = ? AND endpoint = '/api/search'", adminId)).toBe(2);
    expect((await limits.record(actor, adminId, "", windowMs))._unsafeUnwrapErr().details?.field).toBe("endpoint");
  });

  it("seeds default configuration idempotently", async () => {
    expect((await booted.framework.resolve(SeedRunner).run("scraper"))._unsafeUnwrap().map((outcome) => outcome.created)).toEqual([{ system_configurations: 6 }]);
    const snapshot = () => sqliteConnection(booted.database("scraper")).prepare("SELECT config_key, config_value, config_type, updated_at FROM system_configurations ORDER BY config_key").all();
    const first = snapshot();
    const auditAfterFirst = count("SELECT COUNT(*) AS n FROM audit_logs");
    expect((await config.get("scraper.max_concurrent_jobs"))._unsafeUnwrap().setting).toEqual({ type: "integer", value: 4 });
    expect((await config.get("scraper.respect_robots_txt"))._unsafeUnwrap().setting).toEqual({ type: "boolean", value: true });

    expect((await booted.framework.resolve(SeedRunner).run("scraper"))._unsafeUnwrap().map((outcome) => outcome.created)).toEqual([{}]);
    expect(snapshot()).toEqual(first);
    expect(count("SELECT COUNT(*) AS n FROM audit_logs")).toBe(auditAfterFirst);
  });
});
