import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from "typeorm";
import { User } from "./user";

/** API calls of one user to one endpoint in the window starting at `window_start` (seed 002 `api_rate_limits`). */
@Entity({ name: "api_rate_limits" })
@Index("idx_api_rate_limits_user_endpoint_window", ["user_id", "endpoint", "window_start"])
export class ApiRateLimit {
  @PrimaryGeneratedColumn("uuid")
  id: string;

  @Column({ type: "varchar", nullable: true })
  user_id: string | null;

  @ManyToOne(() => User, { onDelete: "CASCADE", nullable: true })
  @JoinColumn({ name: "user_id" })
  user?: Relation<User>;

  @Column({ type: "varchar", length: 100 })
  endpoint: string;

  @Column({ type: "integer", nullable: true, default: 0 })
  request_count: number | null;

  @Column({ type: "datetime" })
  window_start: Date;

  @CreateDateColumn({ type: "datetime", nullable: true })
  created_at: Date;
}
