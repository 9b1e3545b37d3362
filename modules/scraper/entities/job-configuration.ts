import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from "typeorm";
import { ScraperJob } from "./scraper-job";

/** One key/value setting of a job (seed 002 `job_configurations`). */
@Entity({ name: "job_configurations" })
@Index("idx_job_configurations_job_id", ["job_id"])
export class JobConfiguration {
  @PrimaryGeneratedColumn("uuid")
  id: string;

  @Column({ type: "varchar", nullable: true })
  job_id: string | null;

  @ManyToOne(() => ScraperJob, { onDelete: "CASCADE", nullable: true })
  @JoinColumn({ name: "job_id" })
  job?: Relation<ScraperJob>;

  @Column({ type: "varchar", length: 100 })
  config_key: string;

  @Column({ type: "text", nullable: true })
  config_value: string | null;

  @CreateDateColumn({ type: "datetime", nullable: true })
  created_at: Date;
}
