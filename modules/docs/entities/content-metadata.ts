import { Check, Column, Entity, Index, PrimaryColumn, Unique } from "typeorm";

/** Processing states of ingested content. */
export const PROCESSING_STATUSES = ["pending", "processing", "completed", "failed", "flagged"] as const;
/** A content item's processing state. */
export type ProcessingStatus = (typeof PROCESSING_STATUSES)[number];

/** Metadata of one ingested document (seed 004 `content_metadata`). */
@Entity({ name: "content_metadata" })
@Unique("uq_content_metadata_content_hash", ["content_hash"])
@Check("chk_content_metadata_quality_score", "quality_score >= 0.0 AND quality_score <= 1.0")
@Check("chk_content_metadata_freshness_score", "freshness_score >= 0.0 AND freshness_score <= 1.0")
@Check("chk_content_metadata_processing_status", "processing_status IN ('pending', 'processing', 'completed', 'failed', 'flagged')")
@Index("idx_content_metadata_technology", ["technology"])
@Index("idx_content_metadata_source_url", ["source_url"])
@Index("idx_content_metadata_content_hash", ["content_hash"])
@Index("idx_content_metadata_quality_score", ["quality_score"])
@Index("idx_content_metadata_processing_status", ["processing_status"])
@Index("idx_content_metadata_created_at", ["created_at"])
@Index("idx_content_metadata_last_accessed_at", ["last_accessed_at"])
export class ContentMetadata {
  @PrimaryColumn({ type: "text" })
  content_id: string;

  @Column({ type: "text" })
  title: string;

  @Column({ type: "text" })
  source_url: string;

  @Column({ type: "text" })
  technology: string;

  @Column({ type: "text" })
  content_hash: string;

  @Column({ type: "integer", default: 0 })
  word_count: number;

  @Column({ type: "integer", default: 0 })
  heading_count: number;

  @Column({ type: "integer", default: 0 })
  code_block_count: number;

  @Column({ type: "integer", default: 0 })
  chunk_count: number;

  @Column({ type: "real", default: 0.0 })
  quality_score: number;

  @Column({ type: "real", default: 1.0 })
  freshness_score: number;

  @Column({ type: "text", default: "pending" })
  processing_status: string;

  @Column({ type: "text", nullable: true })
  anythingllm_workspace: string | null;

  @Column({ type: "text", nullable: true })
  anythingllm_document_id: string | null;

  @Column({ type: "datetime", default: () => "CURRENT_TIMESTAMP" })
  created_at: Date;

  @Column({ type: "datetime", default: () => "CURRENT_TIMESTAMP" })
  updated_at: Date;

  @Column({ type: "datetime", nullable: true })
  last_accessed_at: Date | null;

  @Column({ type: "integer", default: 0 })
  access_count: number;
}
