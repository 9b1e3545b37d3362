import { randomUUID } from "node:crypto";
import { err, errAsync, ok, Result, type ResultAsync } from "neverthrow";
import { inject, injectable } from "tsyringe";
import type { DbError } from "../../../framework/errors/db-error";
import { sqlTimestamp } from "../../../framework/sql/sql-params";
import type { SqlRow } from "../../../framework/sql/sql-types";
import { DocsSql } from "../docs-sql";
import type { ProcessingStatus } from "../entities/content-metadata";
import { validateProcessedDocument } from "../models/processed-document";
import { invalidField, notFound, optionalInteger, optionalNumber, optionalText, pageLimit, requireText } from "./row-values";

/** A `content_metadata` row as read back (timestamps are UTC text, as SQLite stores them). */
export interface ContentRecord {
  readonly content_id: string;
  readonly title: string;
  readonly source_url: string;
  readonly technology: string;
  readonly content_hash: string;
  readonly word_count: number;
  readonly heading_count: number;
  readonly code_block_count: number;
  readonly chunk_count: number;
  readonly quality_score: number;
  readonly freshness_score: number;
  readonly processing_status: ProcessingStatus;
  readonly anythingllm_workspace: string | null;
  readonly anythingllm_document_id: string | null;
  readonly created_at: string;
  readonly updated_at: string;
  readonly last_accessed_at: string | null;
  readonly access_count: number;
}

/** What `record` needs; the id is generated when absent, counts and scores default as in the seed. */
export interface NewContent {
  readonly content_id?: string;
  readonly title: string;
  readonly source_url: string;
  readonly technology: string;
  readonly content_hash: string;
  readonly word_count?: number;
  readonly heading_count?: number;
  readonly code_block_count?: number;
  readonly chunk_count?: number;
  readonly quality_score?: number;
  readonly freshness_score?: number;
  readonly processing_status?: string;
  readonly anythingllm_workspace?: string | null;
  readonly anythingllm_document_id?: string | null;
}

const COLUMNS = [
  "content_id", "title", "source_url", "technology", "content_hash", "word_count", "heading_count", "code_block_count",
  "chunk_count", "quality_score", "freshness_score", "processing_status", "anythingllm_workspace", "anythingllm_document_id",
] as const;

function toRecord(row: SqlRow): ContentRecord {
  return row as unknown as ContentRecord;
}

/** Metadata of ingested documents: record, look up by technology or quality, count accesses. */
@injectable()
export class ContentMetadataRepository {
  constructor(@inject(DocsSql) private readonly sql: DocsSql) {}

  /**
   * Inserts one document's metadata, or replaces the metadata of the same `content_id`
   * (keeping its access history). Range rules (scores in 0..1, known statuses) are the table's
   * CHECK constraints: breaking one is CONSTRAINT_VIOLATION and writes nothing.
   */
  record(input: NewContent): ResultAsync<ContentRecord, DbError> {
    const values = Result.combine([
      optionalText(input.content_id, "content_id").map((id) => id ?? randomUUID()),
      requireText(input.title, "title"),
      requireText(input.source_url, "source_url"),
      requireText(input.technology, "technology"),
      requireText(input.content_hash, "content_hash"),
      optionalInteger(input.word_count, "word_count").map((v) => v ?? 0),
      optionalInteger(input.heading_count, "heading_count").map((v) => v ?? 0),
      optionalInteger(input.code_block_count, "code_block_count").map((v) => v ?? 0),
      optionalInteger(input.chunk_count, "chunk_count").map((v) => v ?? 0),
      optionalNumber(input.quality_score, "quality_score").map((v) => v ?? 0),
      optionalNumber(input.freshness_score, "freshness_score").map((v) => v ?? 1),
      optionalText(input.processing_status, "processing_status").map((v) => v ?? "pending"),
      optionalText(input.anythingllm_workspace, "anythingllm_workspace"),
      optionalText(input.anythingllm_document_id, "anythingllm_document_id"),
    ]);
    if (values.isErr()) return errAsync(values.error);
    const updates = COLUMNS.filter((column) => column !== "content_id").map((column) => `${column} = excluded.${column}`);
    return this.sql
      .fetchOne(
        `INSERT INTO content_metadata (${COLUMNS.join(", ")}) VALUES (${COLUMNS.map(() => "?").join(", ")})
         ON CONFLICT(content_id) DO UPDATE SET ${updates.join(", ")}, updated_at = ?
         RETURNING *`,
        [...values.value, sqlTimestamp(new Date())],
      )
      .andThen((row) => (row === null ? err(notFound("content_metadata", "content_id", String(values.value[0]))) : ok(toRecord(row))));
  }

  /** Validates a canonical ProcessedDocument and records its metadata (chunk count from its chunks). */
  recordProcessedDocument(input: unknown): ResultAsync<ContentRecord, DbError> {
    const document = validateProcessedDocument(input);
    if (document.isErr()) return errAsync(document.error);
    const doc = document.value;
    return this.record({
      content_id: doc.id,
      title: doc.title,
      source_url: doc.source_url,
      technology: doc.technology,
      content_hash: doc.metadata.content_hash,
      word_count: doc.metadata.word_count,
      heading_count: doc.metadata.heading_count,
      code_block_count: doc.metadata.code_block_count,
      chunk_count: doc.chunks.length,
      quality_score: doc.quality_score,
      processing_status: "completed",
    });
  }

  /** One document's metadata, or RECORD_NOT_FOUND. */
  get(contentId: string): ResultAsync<ContentRecord, DbError> {
    return this.sql
      .fetchOne("SELECT * FROM content_metadata WHERE content_id = ?", [contentId])
      .andThen((row) => (row === null ? err(notFound("content_metadata", "content_id", contentId)) : ok(toRecord(row))));
  }

  /** Documents of a technology, best quality first. */
  byTechnology(technology: string, options: { limit?: number; status?: ProcessingStatus } = {}): ResultAsync<ContentRecord[], DbError> {
    const limit = pageLimit(options.limit);
    if (limit.isErr()) return errAsync(limit.error);
    const statusClause = options.status === undefined ? "" : " AND processing_status = ?";
    const params = options.status === undefined ? [technology, limit.value] : [technology, options.status, limit.value];
    return this.sql
      .fetchAll(`SELECT * FROM content_metadata WHERE technology = ?${statusClause} ORDER BY quality_score DESC, created_at DESC, content_id LIMIT ?`, params)
      .map((rows) => rows.map(toRecord));
  }

  /** Documents whose quality is at least `minScore`, best first; optionally of one technology. */
  byQuality(minScore: number, options: { limit?: number; technology?: string } = {}): ResultAsync<ContentRecord[], DbError> {
    if (!Number.isFinite(minScore) || minScore < 0 || minScore > 1) return errAsync(invalidField("minScore", "must be between 0 and 1."));
    const limit = pageLimit(options.limit);
    if (limit.isErr()) return errAsync(limit.error);
    const technologyClause = options.technology === undefined ? "" : " AND technology = ?";
    const params = options.technology === undefined ? [minScore, limit.value] : [minScore, options.technology, limit.value];
    return this.sql
      .fetchAll(`SELECT * FROM content_metadata WHERE quality_score >= ?${technologyClause} ORDER BY quality_score DESC, content_id LIMIT ?`, params)
      .map((rows) => rows.map(toRecord));
  }

  /** Counts one read of a document (one atomic UPDATE, so concurrent reads are all counted). */
  recordAccess(contentId: string): ResultAsync<ContentRecord, DbError> {
    return this.sql
      .fetchOne("UPDATE content_metadata SET access_count = access_count + 1, last_accessed_at = ? WHERE content_id = ? RETURNING *", [sqlTimestamp(new Date()), contentId])
      .andThen((row) => (row === null ? err(notFound("content_metadata", "content_id", contentId)) : ok(toRecord(row))));
  }

  /** Moves a document to another processing state (the CHECK constraint rejects unknown states). */
  setStatus(contentId: string, status: ProcessingStatus): ResultAsync<ContentRecord, DbError> {
    return this.sql
      .fetchOne("UPDATE content_metadata SET processing_status = ?, updated_at = ? WHERE content_id = ? RETURNING *", [status, sqlTimestamp(new Date()), contentId])
      .andThen((row) => (row === null ? err(notFound("content_metadata", "content_id", contentId)) : ok(toRecord(row))));
  }

  /** Deletes a document's metadata; its feedback and usage signals go with it (ON DELETE CASCADE). */
  delete(contentId: string): ResultAsync<void, DbError> {
    return this.sql
      .execute("DELETE FROM content_metadata WHERE content_id = ?", [contentId])
      .andThen((result) => (result.changes === 0 ? err(notFound("content_metadata", "content_id", contentId)) : ok(undefined)));
  }
}
