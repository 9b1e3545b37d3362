import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ArtifactService } from "../../../modules/scraper/artifacts/artifact-service";
import { SYSTEM_ACTOR } from "../../../modules/scraper/audit/audit-actor";
import { JobService } from "../../../modules/scraper/jobs/job-service";
import { UserService } from "../../../modules/scraper/users/user-service";
import { bootModules, type BootedModules } from "../../support/boot-modules";
import { sqliteConnection } from "../../../framework/engines/sqlite/sqlite-connection";

const sha = (text: string) => createHash("sha256").update(text).digest("hex");

describe("scraper jobs and artifacts", () => {
  let booted: BootedModules;
  let jobs: JobService;
  let artifacts: ArtifactService;
  let userId: string;

  beforeAll(async () => {
    booted = await bootModules("scraper-jobs", ["scraper"]);
    jobs = booted.framework.resolve(JobService);
    artifacts = booted.framework.resolve(ArtifactService);
    userId = (await booted.framework.resolve(UserService).register(SYSTEM_ACTOR, { username: "owner", email: "owner@example.com", password: "password1" }))._unsafeUnwrap().id;
  });
  afterAll(() => booted.close());

  const count = (sql: string, ...params: unknown[]) => (sqliteConnection(booted.database("scraper")).prepare(sql).get(...params) as { n: number }).n;

  it("creates a job with keywords and configuration rows in one go", async () => {
    const job = (await jobs.create({ userId }, { userId, jobType: "web", keywords: ["sqlite", " wal "], expandedKeywords: ["write-ahead log"], configuration: { depth: 2, follow_links: true, proxy: null }, totalItems: 4 }))._unsafeUnwrap();
    expect(job.status).toBe("pending");
    expect(job.progress).toBe(0);
    expect(job.keywords).toEqual(["sqlite", "wal"]);
    expect(job.expanded_keywords).toEqual(["write-ahead log"]);
    expect(job.configuration).toEqual({ depth: "2", follow_links: "true", proxy: null });
    expect(count("SELECT COUNT(*) AS n FROM job_configurations WHERE job_id = ?", job.id)).toBe(3);
    expect(JSON.parse((sqliteConnection(booted.database("scraper")).prepare("SELECT keywords FROM scraping_jobs WHERE id = ?").get(job.id) as { keywords: string }).keywords)).toEqual(["sqlite", "wal"]);
  });

  it("refuses bad jobs, naming the field, writing nothing", async () => {
    const before = count("SELECT COUNT(*) AS n FROM scraping_jobs");
    expect((await jobs.create(SYSTEM_ACTOR, { userId, jobType: "web", keywords: [] }))._unsafeUnwrapErr().details?.field).toBe("keywords");
    expect((await jobs.create(SYSTEM_ACTOR, { userId, jobType: "ftp" as "web", keywords: ["a"] }))._unsafeUnwrapErr().details?.field).toBe("jobType");
    expect((await jobs.create(SYSTEM_ACTOR, { userId: "no-such-user", jobType: "web", keywords: ["a"] }))._unsafeUnwrapErr().code).toBe("RECORD_NOT_FOUND");
    expect(count("SELECT COUNT(*) AS n FROM scraping_jobs")).toBe(before);
  });

  it("moves pending → running → completed, tracking progress", async () => {
    const job = (await jobs.create(SYSTEM_ACTOR, { userId, jobType: "paper", keywords: ["x"], totalItems: 3 }))._unsafeUnwrap();
    const running = (await jobs.start(SYSTEM_ACTOR, job.id))._unsafeUnwrap();
    expect(running.status).toBe("running");
    expect(running.started_at).toBeInstanceOf(Date);

    expect((await jobs.updateProgress(SYSTEM_ACTOR, job.id, 1))._unsafeUnwrap().progress).toBe(33);
    const twoOfFour = (await jobs.updateProgress(SYSTEM_ACTOR, job.id, 2, 4))._unsafeUnwrap();
    expect([twoOfFour.progress, twoOfFour.completed_items, twoOfFour.total_items]).toEqual([50, 2, 4]);
    expect((await jobs.updateProgress(SYSTEM_ACTOR, job.id, 5))._unsafeUnwrapErr().code).toBe("VALIDATION_FAILED");

    const done = (await jobs.complete(SYSTEM_ACTOR, job.id))._unsafeUnwrap();
    expect([done.status, done.progress]).toEqual(["completed", 100]);
    expect(done.completed_at).toBeInstanceOf(Date);
  });

  it("refuses illegal transitions with INVALID_STATUS_TRANSITION and changes nothing", async () => {
    const job = (await jobs.create(SYSTEM_ACTOR, { userId, jobType: "government", keywords: ["x"] }))._unsafeUnwrap();
    const auditBefore = count("SELECT COUNT(*) AS n FROM audit_logs WHERE resource_id = ?", job.id);

    const skip = (await jobs.complete(SYSTEM_ACTOR, job.id))._unsafeUnwrapErr();
    expect(skip.code).toBe("INVALID_STATUS_TRANSITION");
    expect(skip.details).toMatchObject({ from: "pending", to: "completed", allowed: ["running"] });
    expect((await jobs.updateProgress(SYSTEM_ACTOR, job.id, 1, 2))._unsafeUnwrapErr().code).toBe("INVALID_STATUS_TRANSITION");

    (await jobs.start(SYSTEM_ACTOR, job.id))._unsafeUnwrap();
    expect((await jobs.start(SYSTEM_ACTOR, job.id))._unsafeUnwrapErr().code).toBe("INVALID_STATUS_TRANSITION");
    const failed = (await jobs.fail(SYSTEM_ACTOR, job.id, "site down"))._unsafeUnwrap();
    expect([failed.status, failed.error_message]).toEqual(["failed", "site down"]);
    expect((await jobs.start(SYSTEM_ACTOR, job.id))._unsafeUnwrapErr().code).toBe("INVALID_STATUS_TRANSITION");
    expect((await jobs.complete(SYSTEM_ACTOR, job.id))._unsafeUnwrapErr().code).toBe("INVALID_STATUS_TRANSITION");

    expect((await jobs.get(job.id))._unsafeUnwrap().status).toBe("failed");
    // Only the two legal moves were audited.
    expect(count("SELECT COUNT(*) AS n FROM audit_logs WHERE resource_id = ?", job.id)).toBe(auditBefore + 2);
  });

  it("lets exactly one of two concurrent starters win", async () => {
    const job = (await jobs.create(SYSTEM_ACTOR, { userId, jobType: "web", keywords: ["race"] }))._unsafeUnwrap();
    const outcomes = await Promise.all([jobs.start(SYSTEM_ACTOR, job.id), jobs.start(SYSTEM_ACTOR, job.id)]);
    expect(outcomes.filter((outcome) => outcome.isOk())).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome.isErr() && outcome.error.code === "INVALID_STATUS_TRANSITION")).toHaveLength(1);
  });

  it("attaches artifacts with tags and extractions atomically, and cascades job deletes", async () => {
    const job = (await jobs.create(SYSTEM_ACTOR, { userId, jobType: "web", keywords: ["docs"] }))._unsafeUnwrap();
    const artifact = (
      await artifacts.attach(SYSTEM_ACTOR, {
        jobId: job.id,
        userId,
        artifactType: "web_page",
        contentHash: sha("page one"),
        minioPath: "artifacts/page-one.html",
        sourceUrl: "https://example.com/one",
        title: "Page one",
        fileSize: 8,
        mimeType: "text/html",
        tags: [{ type: "keyword", key: "topic", value: "sqlite" }, { type: "privacy", key: "level", value: "public" }],
        extractions: [{ type: "links", data: ["https://example.com/two"], confidence: 0.876 }],
      })
    )._unsafeUnwrap();
    expect(artifact.tags.map((tag) => `${tag.tag_type}:${tag.tag_key}=${tag.tag_value}`)).toEqual(["keyword:topic=sqlite", "privacy:level=public"]);
    expect(artifact.extractions[0]?.extracted_data).toEqual(["https://example.com/two"]);
    expect(Number(artifact.extractions[0]?.confidence_score)).toBe(0.88);

    const withMore = (await artifacts.addTags(SYSTEM_ACTOR, artifact.id, [{ type: "user", key: "starred" }]))._unsafeUnwrap();
    expect(withMore.tags).toHaveLength(3);
    expect((await artifacts.addExtraction(SYSTEM_ACTOR, artifact.id, { type: "text", data: { words: 2 } }))._unsafeUnwrap().extractions).toHaveLength(2);

    // A bad tag in the batch: nothing of the artifact is written.
    const before = count("SELECT COUNT(*) AS n FROM artifacts");
    const bad = (await artifacts.attach(SYSTEM_ACTOR, { jobId: job.id, userId, artifactType: "paper", contentHash: sha("x"), minioPath: "p", tags: [{ type: "colour" as "user", key: "k" }] }))._unsafeUnwrapErr();
    expect(bad.details?.field).toBe("tags[0].type");
    expect(count("SELECT COUNT(*) AS n FROM artifacts")).toBe(before);

    (await jobs.delete(SYSTEM_ACTOR, job.id))._unsafeUnwrap();
    expect(count("SELECT COUNT(*) AS n FROM artifacts WHERE id = ?", artifact.id)).toBe(0);
    expect(count("SELECT COUNT(*) AS n FROM metadata_tags WHERE artifact_id = ?", artifact.id)).toBe(0);
    expect(count("SELECT COUNT(*) AS n FROM content_extractions WHERE artifact_id = ?", artifact.id)).toBe(0);
    expect(count("SELECT COUNT(*) AS n FROM job_configurations WHERE job_id = ?", job.id)).toBe(0);
  });

  it("soft-deletes artifacts: kept with their tags, hidden from listings unless asked, restorable", async () => {
    const job = (await jobs.create(SYSTEM_ACTOR, { userId, jobType: "web", keywords: ["soft"] }))._unsafeUnwrap();
    const kept = (await artifacts.attach(SYSTEM_ACTOR, { jobId: job.id, userId, artifactType: "paper", contentHash: sha("a"), minioPath: "a" }))._unsafeUnwrap();
    const gone = (await artifacts.attach(SYSTEM_ACTOR, { jobId: job.id, userId, artifactType: "paper", contentHash: sha("b"), minioPath: "b", tags: [{ type: "type", key: "pdf" }] }))._unsafeUnwrap();

    (await artifacts.softDelete(SYSTEM_ACTOR, gone.id))._unsafeUnwrap();
    expect((await artifacts.list({ jobId: job.id }))._unsafeUnwrap().map((artifact) => artifact.id)).toEqual([kept.id]);
    expect((await artifacts.list({ jobId: job.id, includeDeleted: true }))._unsafeUnwrap().map((artifact) => artifact.id).sort()).toEqual([kept.id, gone.id].sort());
    expect((await artifacts.get(gone.id))._unsafeUnwrapErr().code).toBe("RECORD_NOT_FOUND");
    expect((await artifacts.get(gone.id, { includeDeleted: true }))._unsafeUnwrap().tags).toHaveLength(1);
    expect((await artifacts.softDelete(SYSTEM_ACTOR, gone.id))._unsafeUnwrapErr().code).toBe("RECORD_NOT_FOUND");

    (await artifacts.restore(SYSTEM_ACTOR, gone.id))._unsafeUnwrap();
    expect((await artifacts.list({ jobId: job.id }))._unsafeUnwrap()).toHaveLength(2);
  });
});
