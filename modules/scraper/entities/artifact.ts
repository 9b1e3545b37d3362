import { Column, CreateDateColumn, DeleteDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from "typeorm";
import { ScraperJob } from "./scraper-job";
import { User } from "./user";

/** Kinds of artifact the seed names. */
export const ARTIFACT_TYPES = ["web_page", "paper", "government_doc", "social_media"] as const;
/** An artifact's kind. */
export type ArtifactType = (typeof ARTIFACT_TYPES)[number];

/** A stored scraping result (seed 002 `artifacts`); soft-deleted with `deleted_at`. */
@Entity({ name: "artifacts" })
@Index("idx_artifacts_job_id", ["job_id"])
@Index("idx_artifacts_user_id", ["user_id"])
@Index("idx_artifacts_content_hash", ["content_hash"])
export class Artifact {
  @PrimaryGeneratedColumn("uuid")
  id: string;

  @Column({ type: "varchar", nullable: true })
  job_id: string | null;

  @ManyToOne(() => ScraperJob, { onDelete: "CASCADE", nullable: true })
  @JoinColumn({ name: "job_id" })
  job?: Relation<ScraperJob>;

  @Column({ type: "varchar", nullable: true })
  user_id: string | null;

  @ManyToOne(() => User, { onDelete: "CASCADE", nullable: true })
  @JoinColumn({ name: "user_id" })
  user?: Relation<User>;

  @Column({ type: "varchar", length: 50 })
  artifact_type: string;

  @Column({ type: "text", nullable: true })
  source_url: string | null;

  @Column({ type: "varchar", length: 500, nullable: true })
  title: string | null;

  /** Hex SHA-256 of the content. */
  @Column({ type: "varchar", length: 64 })
  content_hash: string;

  /** BIGINT in the seed; SQLite integers are 64-bit. */
  @Column({ type: "bigint", nullable: true })
  file_size: number | null;

  @Column({ type: "varchar", length: 100, nullable: true })
  mime_type: string | null;

  /** Object-storage path of the content. */
  @Column({ type: "varchar", length: 500 })
  minio_path: string;

  @Column({ type: "boolean", nullable: true, default: false })
  is_public: boolean | null;

  @CreateDateColumn({ type: "datetime", nullable: true })
  created_at: Date;

  /** Soft delete: set instead of removing the row; listings skip such artifacts unless asked. */
  @DeleteDateColumn({ type: "datetime", nullable: true })
  deleted_at: Date | null;
}
