import { randomUUID } from "node:crypto";
import { err, errAsync, ok, Result, type ResultAsync } from "neverthrow";
import { inject, injectable } from "tsyringe";
import type { DbError } from "../../../framework/errors/db-error";
import { sqlTimestamp } from "../../../framework/sql/sql-params";
import type { SqlRow } from "../../../framework/sql/sql-types";
import { DocsSql } from "../docs-sql";
import type { RateLimitStatus, SourceType } from "../entities/source-metadata";
import { invalidField, notFound, optionalText, pageLimit, requireText, toBoolean } from "./row-values";

/**
 * Weight of the newest fetch in the reliability score. The score is an exponential moving
 * average of outcomes (success = 1, failure = 0), so it stays within 0..1, recent behaviour
 * dominates, and one failure after a long good run does not condemn a source.
 */
export const RELIABILITY_WEIGHT = 0.2;

/** A `source_metadata` row as read back. */
export interface SourceRecord {
  readonly source_id: string;
  readonly source_type: SourceType;
  readonly source_url: string;
  readonly technology: string;
  readonly reliability_score: number;
  readonly avg_processing_time_ms: number;
  readonly total_documents_processed: number;
  readonly last_successful_fetch: string | null;
  readonly last_failed_fetch: string | null;
  readonly consecutive_failures: number;
  readonly rate_limit_status: RateLimitStatus | null;
  readonly rate_limit_reset_at: string | null;
  readonly avg_content_quality: number | null;
  readonly is_active: boolean;
  readonly created_at: string;
  readonly updated_at: string;
}

/** What `register` needs. */
export interface NewSource {
  readonly source_id?: string;
  /** Checked by the table's CHECK constraint: github, web or api. */
  readonly source_type: SourceType | string;
  readonly source_url: string;
  readonly technology: string;
}

/** What one successful fetch achieved. */
export interface FetchSuccess {
  /** Wall time of the whole fetch. */
  readonly processingTimeMs: number;
  /** Documents it produced. */
  readonly documents: number;
  /** Mean quality (0..1) of those documents, when known. */
  readonly contentQuality?: number;
}

/** What went wrong in a failed fetch. */
export interface FetchFailure {
  /** Set when the source rate-limited us: its new status and when the limit lifts. */
  readonly rateLimit?: { readonly status: RateLimitStatus; readonly resetAt: Date };
}

function toRecord(row: SqlRow): SourceRecord {
  return { ...(row as unknown as SourceRecord), is_active: toBoolean(row.is_active) };
}

/** Documentation sources and how reliably they deliver (seed 004 `source_metadata`, PRD-010). */
@injectable()
export class SourceRepository {
  constructor(@inject(DocsSql) private readonly sql: DocsSql) {}

  /** Registers a source with the seed's defaults (reliability 1.0, no failures). */
  register(input: NewSource): ResultAsync<SourceRecord, DbError> {
    const values = Result.combine([
      optionalText(input.source_id, "source_id").map((id) => id ?? randomUUID()),
      requireText(input.source_type, "source_type"),
      requireText(input.source_url, "source_url"),
      requireText(input.technology, "technology"),
    ]);
    if (values.isErr()) return errAsync(values.error);
    return this.one("INSERT INTO source_metadata (source_id, source_type, source_url, technology) VALUES (?, ?, ?, ?) RETURNING *", values.value, values.value[0]);
  }

  /** One source, or RECORD_NOT_FOUND. */
  get(sourceId: string): ResultAsync<SourceRecord, DbError> {
    return this.one("SELECT * FROM source_metadata WHERE source_id = ?", [sourceId], sourceId);
  }

  /**
   * Records a successful fetch in one atomic UPDATE: failures reset, reliability moved towards 1,
   * documents counted, and the per-document processing time and content quality averaged over
   * every document processed so far.
   */
  recordSuccess(sourceId: string, success: FetchSuccess): ResultAsync<SourceRecord, DbError> {
    const { processingTimeMs, documents, contentQuality } = success;
    if (!Number.isFinite(processingTimeMs) || processingTimeMs < 0) return errAsync(invalidField("processingTimeMs", "must be a non-negative number."));
    if (!Number.isInteger(documents) || documents < 0) return errAsync(invalidField("documents", "must be a non-negative integer."));
    if (contentQuality !== undefined && (!Number.isFinite(contentQuality) || contentQuality < 0 || contentQuality > 1)) {
      return errAsync(invalidField("contentQuality", "must be between 0 and 1."));
    }
    const now = sqlTimestamp(new Date());
    const qualityUpdate =
      contentQuality === undefined || documents === 0
        ? ""
        : ", avg_content_quality = (COALESCE(avg_content_quality, 0) * total_documents_processed + CAST(? AS DOUBLE PRECISION) * CAST(? AS INTEGER)) / (total_documents_processed + CAST(? AS INTEGER))";
    const qualityParams = qualityUpdate === "" ? [] : [contentQuality as number, documents, documents];
    return this.one(
      `UPDATE source_metadata SET
         reliability_score = reliability_score + ? * (1.0 - reliability_score),
         consecutive_failures = 0,
         last_successful_fetch = ?,
         avg_processing_time_ms = CASE WHEN total_documents_processed + ? = 0 THEN avg_processing_time_ms
           ELSE CAST(ROUND((avg_processing_time_ms * total_documents_processed + CAST(? AS DOUBLE PRECISION)) * 1.0 / (total_documents_processed + ?)) AS INTEGER) END
         ${qualityUpdate},
         total_documents_processed = total_documents_processed + ?,
         rate_limit_status = 'normal',
         rate_limit_reset_at = NULL,
         updated_at = ?
       WHERE source_id = ? RETURNING *`,
      [RELIABILITY_WEIGHT, now, documents, processingTimeMs, documents, ...qualityParams, documents, now, sourceId],
      sourceId,
    );
  }

  /** Records a failed fetch in one atomic UPDATE: one more consecutive failure, reliability moved towards 0. */
  recordFailure(sourceId: string, failure: FetchFailure = {}): ResultAsync<SourceRecord, DbError> {
    const now = sqlTimestamp(new Date());
    const rateLimit = failure.rateLimit;
    return this.one(
      `UPDATE source_metadata SET
         reliability_score = reliability_score * (1.0 - ?),
         consecutive_failures = consecutive_failures + 1,
         last_failed_fetch = ?,
         rate_limit_status = COALESCE(?, rate_limit_status),
         rate_limit_reset_at = COALESCE(?, rate_limit_reset_at),
         updated_at = ?
       WHERE source_id = ? RETURNING *`,
      [RELIABILITY_WEIGHT, now, rateLimit?.status ?? null, rateLimit === undefined ? null : sqlTimestamp(rateLimit.resetAt), now, sourceId],
      sourceId,
    );
  }

  /** Active sources of a technology, most reliable first. */
  byTechnology(technology: string, options: { limit?: number } = {}): ResultAsync<SourceRecord[], DbError> {
    const limit = pageLimit(options.limit);
    if (limit.isErr()) return errAsync(limit.error);
    return this.sql
      .fetchAll("SELECT * FROM source_metadata WHERE technology = ? AND is_active = TRUE ORDER BY reliability_score DESC, source_id LIMIT ?", [technology, limit.value])
      .map((rows) => rows.map(toRecord));
  }

  /** Sources that failed at least `minConsecutiveFailures` times in a row, worst first. */
  failing(minConsecutiveFailures: number): ResultAsync<SourceRecord[], DbError> {
    if (!Number.isInteger(minConsecutiveFailures) || minConsecutiveFailures < 1) return errAsync(invalidField("minConsecutiveFailures", "must be a positive integer."));
    return this.sql
      .fetchAll("SELECT * FROM source_metadata WHERE consecutive_failures >= ? ORDER BY consecutive_failures DESC, source_id", [minConsecutiveFailures])
      .map((rows) => rows.map(toRecord));
  }

  /** Turns a source on or off. */
  setActive(sourceId: string, active: boolean): ResultAsync<SourceRecord, DbError> {
    return this.one("UPDATE source_metadata SET is_active = ?, updated_at = ? WHERE source_id = ? RETURNING *", [active, sqlTimestamp(new Date()), sourceId], sourceId);
  }

  private one(sql: string, params: Parameters<DocsSql["fetchOne"]>[1], sourceId: string): ResultAsync<SourceRecord, DbError> {
    return this.sql.fetchOne(sql, params).andThen((row) => (row === null ? err(notFound("source_metadata", "source_id", sourceId)) : ok(toRecord(row))));
  }
}
