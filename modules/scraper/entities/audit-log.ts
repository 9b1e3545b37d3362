import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from "typeorm";
import { User } from "./user";

/** Who did what to which resource, and when (seed 002 `audit_logs`); kept when the user goes (SET NULL). */
@Entity({ name: "audit_logs" })
@Index("idx_audit_logs_user_id", ["user_id"])
@Index("idx_audit_logs_resource", ["resource_type", "resource_id"])
@Index("idx_audit_logs_created_at", ["created_at"])
export class AuditLog {
  @PrimaryGeneratedColumn("uuid")
  id: string;

  @Column({ type: "varchar", nullable: true })
  user_id: string | null;

  @ManyToOne(() => User, { onDelete: "SET NULL", nullable: true })
  @JoinColumn({ name: "user_id" })
  user?: Relation<User>;

  /** `<resource>.<verb>`, e.g. `user.create`, `job.status.running`. */
  @Column({ type: "varchar", length: 100 })
  action: string;

  @Column({ type: "varchar", length: 50, nullable: true })
  resource_type: string | null;

  @Column({ type: "varchar", nullable: true })
  resource_id: string | null;

  @Column({ type: "simple-json", nullable: true })
  details: Record<string, unknown> | null;

  /** INET in the seed: the client address as text. */
  @Column({ type: "text", nullable: true })
  ip_address: string | null;

  @Column({ type: "text", nullable: true })
  user_agent: string | null;

  @CreateDateColumn({ type: "datetime", nullable: true })
  created_at: Date;
}
