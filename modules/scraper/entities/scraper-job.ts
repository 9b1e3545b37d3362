import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn, type Relation } from "typeorm";
import { User } from "./user";

/** Kinds of job the seed names. */
export const JOB_TYPES = ["web", "paper", "government"] as const;
/** A job's kind. */
export type JobType = (typeof JOB_TYPES)[number];

/** A scraping job (seed 002 `scraping_jobs`); `TEXT[]` columns are JSON arrays here. */
@Entity({ name: "scraping_jobs" })
@Index("idx_scraping_jobs_user_id", ["user_id"])
@Index("idx_scraping_jobs_status", ["status"])
export class ScraperJob {
  @PrimaryGeneratedColumn("uuid")
  id: string;

  @Column({ type: "varchar", nullable: true })
  user_id: string | null;

  @ManyToOne(() => User, { onDelete: "CASCADE", nullable: true })
  @JoinColumn({ name: "user_id" })
  user?: Relation<User>;

  @Column({ type: "varchar", length: 50 })
  job_type: string;

  @Column({ type: "simple-json" })
  keywords: string[];

  @Column({ type: "simple-json", nullable: true })
  expanded_keywords: string[] | null;

  /** pending → running → completed | failed (see jobs/job-status.ts). */
  @Column({ type: "varchar", length: 20, nullable: true, default: "pending" })
  status: string | null;

  /** Percent done, 0..100. */
  @Column({ type: "integer", nullable: true, default: 0 })
  progress: number | null;

  @Column({ type: "integer", nullable: true, default: 0 })
  total_items: number | null;

  @Column({ type: "integer", nullable: true, default: 0 })
  completed_items: number | null;

  @Column({ type: "text", nullable: true })
  error_message: string | null;

  @Column({ type: "datetime", nullable: true })
  started_at: Date | null;

  @Column({ type: "datetime", nullable: true })
  completed_at: Date | null;

  @CreateDateColumn({ type: "datetime", nullable: true })
  created_at: Date;

  @UpdateDateColumn({ type: "datetime", nullable: true })
  updated_at: Date;
}
