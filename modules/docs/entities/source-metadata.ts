import { Check, Column, Entity, Index, PrimaryColumn } from "typeorm";

/** Kinds of documentation source. */
export const SOURCE_TYPES = ["github", "web", "api"] as const;
/** A source's kind. */
export type SourceType = (typeof SOURCE_TYPES)[number];

/** Rate-limit states of a source. */
export const RATE_LIMIT_STATUSES = ["normal", "limited", "exhausted"] as const;
/** A source's rate-limit state. */
export type RateLimitStatus = (typeof RATE_LIMIT_STATUSES)[number];

/** Reliability and performance of one documentation source (seed 004 `source_metadata`). */
@Entity({ name: "source_metadata" })
@Check("chk_source_metadata_source_type", "source_type IN ('github', 'web', 'api')")
@Check("chk_source_metadata_reliability_score", "reliability_score >= 0.0 AND reliability_score <= 1.0")
@Check("chk_source_metadata_rate_limit_status", "rate_limit_status IN ('normal', 'limited', 'exhausted')")
@Check("chk_source_metadata_avg_content_quality", "avg_content_quality >= 0.0 AND avg_content_quality <= 1.0")
@Index("idx_source_metadata_source_type", ["source_type"])
@Index("idx_source_metadata_technology", ["technology"])
@Index("idx_source_metadata_reliability_score", ["reliability_score"])
@Index("idx_source_metadata_is_active", ["is_active"])
@Index("idx_source_metadata_updated_at", ["updated_at"])
export class SourceMetadata {
  @PrimaryColumn({ type: "text" })
  source_id: string;

  @Column({ type: "text" })
  source_type: string;

  @Column({ type: "text" })
  source_url: string;

  @Column({ type: "text" })
  technology: string;

  @Column({ type: "real", default: 1.0 })
  reliability_score: number;

  @Column({ type: "integer", default: 0 })
  avg_processing_time_ms: number;

  @Column({ type: "integer", default: 0 })
  total_documents_processed: number;

  @Column({ type: "datetime", nullable: true })
  last_successful_fetch: Date | null;

  @Column({ type: "datetime", nullable: true })
  last_failed_fetch: Date | null;

  @Column({ type: "integer", default: 0 })
  consecutive_failures: number;

  @Column({ type: "text", nullable: true, default: "normal" })
  rate_limit_status: string | null;

  @Column({ type: "datetime", nullable: true })
  rate_limit_reset_at: Date | null;

  @Column({ type: "real", nullable: true, default: 0.0 })
  avg_content_quality: number | null;

  @Column({ type: "boolean", default: true })
  is_active: boolean;

  @Column({ type: "datetime", default: () => "CURRENT_TIMESTAMP" })
  created_at: Date;

  @Column({ type: "datetime", default: () => "CURRENT_TIMESTAMP" })
  updated_at: Date;
}
