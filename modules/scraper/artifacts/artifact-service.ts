import { randomUUID } from "node:crypto";
import { err, errAsync, ok, type Result, type ResultAsync } from "neverthrow";
import { injectable } from "tsyringe";
import type { EntityManager, FindOptionsWhere } from "typeorm";
import type { QueryDeepPartialEntity } from "typeorm/query-builder/QueryPartialEntity";
import { InjectDatabase } from "../../../framework/container/tokens";
import type { ModuleDatabase } from "../../../framework/database/module-database";
import type { AuditActor } from "../audit/audit-actor";
import { recordAudit } from "../audit/record-audit";
import { DATABASE_NAME } from "../db-models";
import { Artifact } from "../entities/artifact";
import { ContentExtraction } from "../entities/content-extraction";
import { MetadataTag } from "../entities/metadata-tag";
import { ScraperJob } from "../entities/scraper-job";
import { notFound, type ScraperError } from "../support/scraper-error";
import { readQuery, writeTransaction } from "../support/write-transaction";
import { checkArtifact, checkExtractions, checkTags, type AttachArtifactInput, type CheckedExtraction, type CheckedTag, type ExtractionInput, type TagInput } from "./artifact-input";

/** An artifact with its tags and extractions. */
export interface ArtifactView extends Omit<Artifact, "job" | "user"> {
  readonly tags: MetadataTag[];
  readonly extractions: ContentExtraction[];
}

/** Which artifacts to list; soft-deleted ones only with `includeDeleted`. */
export interface ArtifactListOptions {
  readonly jobId?: string;
  readonly userId?: string;
  readonly includeDeleted?: boolean;
  readonly limit?: number;
}

async function loadArtifact(manager: EntityManager, id: string, includeDeleted: boolean): Promise<ArtifactView | null> {
  const artifact = await manager.findOne(Artifact, { where: { id }, withDeleted: includeDeleted });
  if (artifact === null) return null;
  const tags = await manager.find(MetadataTag, { where: { artifact_id: id }, order: { tag_type: "ASC", tag_key: "ASC" } });
  const extractions = await manager.find(ContentExtraction, { where: { artifact_id: id }, order: { extraction_type: "ASC" } });
  return { ...artifact, tags, extractions };
}

async function insertTags(manager: EntityManager, artifactId: string, tags: readonly CheckedTag[]): Promise<void> {
  if (tags.length > 0) await manager.insert(MetadataTag, tags.map((tag) => ({ id: randomUUID(), artifact_id: artifactId, ...tag })));
}

async function insertExtractions(manager: EntityManager, artifactId: string, extractions: readonly CheckedExtraction[]): Promise<void> {
  if (extractions.length === 0) return;
  const rows = extractions.map((extraction) => ({ id: randomUUID(), artifact_id: artifactId, ...extraction }));
  // The JSON column is typed `unknown`, which TypeORM's insert typing cannot follow.
  await manager.insert(ContentExtraction, rows as QueryDeepPartialEntity<ContentExtraction>[]);
}

/**
 * Artifacts of scraping jobs with their metadata tags and content extractions: attach (all in
 * one transaction), add tags or extractions, read, list, soft delete and restore. Audited.
 */
@injectable()
export class ArtifactService {
  constructor(@InjectDatabase(DATABASE_NAME) private readonly database: ModuleDatabase) {}

  /** Stores an artifact of an existing job with its tags and extractions: all of it or nothing. */
  attach(actor: AuditActor, input: AttachArtifactInput): ResultAsync<ArtifactView, ScraperError> {
    const checked = checkArtifact(input);
    if (checked.isErr()) return errAsync(checked.error);
    const { row, tags, extractions } = checked.value;
    return writeTransaction(this.database, async (manager): Promise<Result<ArtifactView, ScraperError>> => {
      const job = await manager.findOneBy(ScraperJob, { id: row.job_id });
      if (job === null) return err(notFound("scraping job", row.job_id));
      const id = randomUUID();
      await manager.insert(Artifact, { id, ...row });
      await insertTags(manager, id, tags);
      await insertExtractions(manager, id, extractions);
      await recordAudit(manager, actor, {
        action: "artifact.create",
        resourceType: "artifact",
        resourceId: id,
        details: { job_id: row.job_id, artifact_type: row.artifact_type, content_hash: row.content_hash, tags: tags.length, extractions: extractions.length },
      });
      return ok((await loadArtifact(manager, id, false)) as ArtifactView);
    });
  }

  /** Adds metadata tags to a live artifact. */
  addTags(actor: AuditActor, artifactId: string, tags: readonly TagInput[]): ResultAsync<ArtifactView, ScraperError> {
    const checked = checkTags(tags);
    if (checked.isErr()) return errAsync(checked.error);
    return this.change(actor, artifactId, "artifact.tags.add", { tags: checked.value.map((tag) => `${tag.tag_type}:${tag.tag_key}`) }, (manager) => insertTags(manager, artifactId, checked.value));
  }

  /** Adds an extraction to a live artifact. */
  addExtraction(actor: AuditActor, artifactId: string, extraction: ExtractionInput): ResultAsync<ArtifactView, ScraperError> {
    const checked = checkExtractions([extraction], "extraction");
    if (checked.isErr()) return errAsync(checked.error);
    return this.change(actor, artifactId, "artifact.extraction.add", { extraction_type: extraction.type }, (manager) => insertExtractions(manager, artifactId, checked.value));
  }

  /** One artifact with tags and extractions; soft-deleted only with `includeDeleted`. */
  get(id: string, options: { includeDeleted?: boolean } = {}): ResultAsync<ArtifactView, ScraperError> {
    return this.database
      .exclusive((manager) => loadArtifact(manager, id, options.includeDeleted === true))
      .mapErr((error): ScraperError => error)
      .andThen((artifact) => (artifact === null ? err(notFound("artifact", id)) : ok(artifact)));
  }

  /** Artifacts, newest first (without tags and extractions). */
  list(options: ArtifactListOptions = {}): ResultAsync<Artifact[], ScraperError> {
    const where: FindOptionsWhere<Artifact> = {};
    if (options.jobId !== undefined) where.job_id = options.jobId;
    if (options.userId !== undefined) where.user_id = options.userId;
    return readQuery(this.database, (manager) =>
      manager.find(Artifact, { where, withDeleted: options.includeDeleted === true, order: { created_at: "DESC", id: "ASC" }, take: Math.min(Math.max(options.limit ?? 100, 1), 1000) }),
    );
  }

  /** Soft-deletes an artifact: it stays stored, with its tags and extractions, but listings skip it. */
  softDelete(actor: AuditActor, id: string): ResultAsync<void, ScraperError> {
    return writeTransaction(this.database, async (manager) => {
      const result = await manager.softDelete(Artifact, { id });
      if (result.affected !== 1) return err(notFound("artifact", id));
      await recordAudit(manager, actor, { action: "artifact.delete", resourceType: "artifact", resourceId: id, details: { soft: true } });
      return ok(undefined);
    });
  }

  /** Brings back a soft-deleted artifact. */
  restore(actor: AuditActor, id: string): ResultAsync<ArtifactView, ScraperError> {
    return writeTransaction(this.database, async (manager): Promise<Result<ArtifactView, ScraperError>> => {
      const artifact = await manager.findOne(Artifact, { where: { id }, withDeleted: true });
      if (artifact === null || artifact.deleted_at === null) return err(notFound("deleted artifact", id));
      await manager.restore(Artifact, { id });
      await recordAudit(manager, actor, { action: "artifact.restore", resourceType: "artifact", resourceId: id });
      return ok((await loadArtifact(manager, id, false)) as ArtifactView);
    });
  }

  private change(actor: AuditActor, artifactId: string, action: string, details: Record<string, unknown>, write: (manager: EntityManager) => Promise<void>): ResultAsync<ArtifactView, ScraperError> {
    return writeTransaction(this.database, async (manager): Promise<Result<ArtifactView, ScraperError>> => {
      const exists = await manager.existsBy(Artifact, { id: artifactId });
      if (!exists) return err(notFound("artifact", artifactId));
      await write(manager);
      await recordAudit(manager, actor, { action, resourceType: "artifact", resourceId: artifactId, details });
      return ok((await loadArtifact(manager, artifactId, false)) as ArtifactView);
    });
  }
}
