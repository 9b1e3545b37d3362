import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CrudService, repositoryToken, type ServiceClass } from "../../framework";
import { Search } from "../../modules/ciap/db-models";
import { ContentMetadataRepository } from "../../modules/docs/repositories/content-metadata-repository";
import { ArtifactService } from "../../modules/scraper/artifacts/artifact-service";
import { AuditLogService } from "../../modules/scraper/audit/audit-log-service";
import { JobService } from "../../modules/scraper/jobs/job-service";
import { UserService } from "../../modules/scraper/users/user-service";
import { bootModules, type BootedModules } from "../support/boot-modules";
import { REPO_ROOT } from "../support/temp-root";

const MODULES = ["ciap", "scraper", "docs"] as const;

/** The `services` a module's `module.ts` exports (none when it has no such file). */
async function servicesOf(module: string): Promise<ServiceClass[]> {
  const file = path.join(REPO_ROOT, "modules", module, "module.ts");
  if (!existsSync(file)) return [];
  const exports = (await import(file)) as { services?: ServiceClass[] };
  return exports.services ?? [];
}

/** One page a scraper fetched for a job. */
interface ScrapedPage {
  readonly url: string;
  readonly title: string;
  readonly body: string;
  readonly quality: number;
}

/**
 * One request of a "document this technology" API, spanning three databases: the search is
 * recorded in ciap, the job and its artifacts in scraper, the documents in docs. Databases do not
 * share transactions, so each step commits on its own and a failure marks the job failed.
 */
async function scrapeDocumentation(booted: BootedModules, userId: string, technology: string, pages: readonly ScrapedPage[]) {
  const actor = { userId, ipAddress: "198.51.100.4", userAgent: "docs-client/1.0" };
  const jobs = booted.framework.resolve(JobService);
  const artifacts = booted.framework.resolve(ArtifactService);
  const documents = booted.framework.resolve(ContentMetadataRepository);

  const search = (await booted.framework.resolve(CrudService).create("ciap", "searches", { query: `${technology} documentation`, sources: ["docs"], user_id: userId }))._unsafeUnwrap();
  const job = (await jobs.create(actor, { userId, jobType: "web", keywords: [technology], configuration: { ciap_search_id: Number(search.id), pages: pages.length }, totalItems: pages.length }))._unsafeUnwrap();
  (await jobs.start(actor, job.id))._unsafeUnwrap();

  for (const [index, page] of pages.entries()) {
    const hash = createHash("sha256").update(page.body).digest("hex");
    const recorded = await documents.record({ title: page.title, source_url: page.url, technology, content_hash: hash, word_count: page.body.split(/\s+/).length, quality_score: page.quality });
    if (recorded.isErr()) {
      await jobs.fail(actor, job.id, `Page ${page.url}: ${recorded.error.code}`);
      return { searchId: search.id, jobId: job.id, failed: recorded.error };
    }
    (
      await artifacts.attach(actor, {
        jobId: job.id,
        userId,
        artifactType: "web_page",
        contentHash: hash,
        minioPath: `docs/${technology}/${hash}.html`,
        sourceUrl: page.url,
        title: page.title,
        tags: [{ type: "keyword", key: "docs_content_id", value: recorded.value.content_id }],
      })
    )._unsafeUnwrap();
    (await jobs.updateProgress(actor, job.id, index + 1))._unsafeUnwrap();
  }
  (await jobs.complete(actor, job.id))._unsafeUnwrap();
  (await booted.framework.resolve(CrudService).update("ciap", "searches", search.id, { status: "completed" }))._unsafeUnwrap();
  return { searchId: search.id, jobId: job.id, failed: undefined };
}

describe("ciap, scraper and docs in one framework", () => {
  let booted: BootedModules;
  let userId: string;

  beforeAll(async () => {
    booted = await bootModules("three-modules", MODULES);
    userId = (await booted.framework.resolve(UserService).register({ userId: null }, { username: "writer", email: "writer@example.com", password: "password1" }))._unsafeUnwrap().id;
  });
  afterAll(() => booted.close());

  it("boots all three, each with its own database file", () => {
    expect(booted.framework.healthy).toBe(true);
    expect(booted.framework.modules.map((module) => [module.name, module.database, module.healthy])).toEqual([
      ["ciap", "ciap", true],
      ["docs", "docs", true],
      ["scraper", "scraper", true],
    ]);
    expect(booted.framework.databases.readyNames()).toEqual(["ciap", "docs", "framework", "scraper"]);
    for (const name of MODULES) expect(booted.database(name).file).toBe(path.join(booted.temp.dataDir, `${name}.db`));
  });

  it("resolves every module's services (and ciap's repositories) from the one container", async () => {
    for (const module of MODULES) {
      for (const service of await servicesOf(module)) {
        // tsyringe's token type wants a constructor taking any arguments; the container supplies them.
        const token = service as unknown as new (...args: unknown[]) => object;
        const first = booted.framework.resolve(token);
        expect(first, `${module}: ${service.name}`).toBeInstanceOf(service);
        expect(booted.framework.resolve(token), `${module}: ${service.name} is a singleton`).toBe(first);
      }
    }
    expect((await servicesOf("scraper")).length).toBeGreaterThanOrEqual(7);
    expect((await servicesOf("docs")).length).toBeGreaterThanOrEqual(7);
    // ciap's entities are injectable as repositories of its own database.
    const searches = booted.framework.container.resolve<{ metadata: { tableName: string } }>(repositoryToken(Search));
    expect(searches.metadata.tableName).toBe("searches");
  });

  it("runs one request flow across the ciap, scraper and docs databases", async () => {
    const outcome = await scrapeDocumentation(booted, userId, "react", [
      { url: "https://react.dev/learn", title: "Quick Start", body: "Welcome to the React documentation", quality: 0.9 },
      { url: "https://react.dev/reference/react/useState", title: "useState", body: "useState is a React Hook", quality: 0.8 },
    ]);
    expect(outcome.failed).toBeUndefined();

    const job = (await booted.framework.resolve(JobService).get(outcome.jobId))._unsafeUnwrap();
    expect([job.status, job.progress, job.completed_items, job.configuration.ciap_search_id]).toEqual(["completed", 100, 2, String(outcome.searchId)]);
    const stored = (await booted.framework.resolve(ArtifactService).list({ jobId: outcome.jobId }))._unsafeUnwrap();
    expect(stored).toHaveLength(2);
    const docs = (await booted.framework.resolve(ContentMetadataRepository).byTechnology("react"))._unsafeUnwrap();
    expect(docs.map((doc) => doc.title)).toEqual(["Quick Start", "useState"]);
    // The artifact points at its docs content, and both carry the same content hash.
    for (const artifact of stored) {
      const full = (await booted.framework.resolve(ArtifactService).get(artifact.id))._unsafeUnwrap();
      const contentId = full.tags.find((tag) => tag.tag_key === "docs_content_id")?.tag_value ?? "";
      expect((await booted.framework.resolve(ContentMetadataRepository).get(contentId))._unsafeUnwrap().content_hash).toBe(artifact.content_hash);
    }
    expect((await booted.framework.resolve(CrudService).get("ciap", "searches", outcome.searchId))._unsafeUnwrap().status).toBe("completed");
    const audit = (await booted.framework.resolve(AuditLogService).list({ userId }))._unsafeUnwrap();
    expect(audit.filter((row) => row.action === "artifact.create")).toHaveLength(2);
    expect(audit.every((row) => row.ip_address === "198.51.100.4")).toBe(true);
  });

  it("marks the job failed when the docs database refuses a page, keeping what was committed", async () => {
    const outcome = await scrapeDocumentation(booted, userId, "vue", [
      { url: "https://vuejs.org/guide", title: "Guide", body: "Vue guide", quality: 0.7 },
      { url: "https://vuejs.org/bad", title: "Bad", body: "scored out of range", quality: 1.7 },
    ]);
    expect(outcome.failed?.code).toBe("CONSTRAINT_VIOLATION");
    const job = (await booted.framework.resolve(JobService).get(outcome.jobId))._unsafeUnwrap();
    expect([job.status, job.completed_items, job.error_message]).toEqual(["failed", 1, "Page https://vuejs.org/bad: CONSTRAINT_VIOLATION"]);
    expect((await booted.framework.resolve(ContentMetadataRepository).byTechnology("vue"))._unsafeUnwrap().map((doc) => doc.title)).toEqual(["Guide"]);
  });
});
