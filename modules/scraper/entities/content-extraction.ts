import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from "typeorm";
import { Artifact } from "./artifact";

/** Kinds of extraction the seed names. */
export const EXTRACTION_TYPES = ["text", "metadata", "links", "images"] as const;
/** An extraction's kind. */
export type ExtractionType = (typeof EXTRACTION_TYPES)[number];

/** Data extracted from an artifact (seed 002 `content_extractions`); JSONB is a JSON text column. */
@Entity({ name: "content_extractions" })
@Index("idx_content_extractions_artifact_id", ["artifact_id"])
export class ContentExtraction {
  @PrimaryGeneratedColumn("uuid")
  id: string;

  @Column({ type: "varchar", nullable: true })
  artifact_id: string | null;

  @ManyToOne(() => Artifact, { onDelete: "CASCADE", nullable: true })
  @JoinColumn({ name: "artifact_id" })
  artifact?: Relation<Artifact>;

  @Column({ type: "varchar", length: 50 })
  extraction_type: string;

  @Column({ type: "simple-json", nullable: true })
  extracted_data: unknown;

  /** DECIMAL(3,2): 0.00..9.99 in the seed; the service keeps it within 0..1. */
  @Column({ type: "decimal", precision: 3, scale: 2, nullable: true })
  confidence_score: number | null;

  @CreateDateColumn({ type: "datetime", nullable: true })
  created_at: Date;
}
