import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from "typeorm";
import { Sensitive } from "../../../framework/crud/sensitive";
import { User } from "./user";

/** A login session (seed 002 `user_sessions`); only the SHA-256 of its token is stored. */
@Entity({ name: "user_sessions" })
@Index("idx_user_sessions_user_id", ["user_id"])
@Index("idx_user_sessions_token_hash", ["token_hash"])
export class UserSession {
  @PrimaryGeneratedColumn("uuid")
  id: string;

  @Column({ type: "varchar", nullable: true })
  user_id: string | null;

  @ManyToOne(() => User, { onDelete: "CASCADE", nullable: true })
  @JoinColumn({ name: "user_id" })
  user?: Relation<User>;

  /** Hex SHA-256 of the session token; the token itself is handed out once and never stored. */
  @Sensitive()
  @Column({ type: "varchar", length: 255 })
  token_hash: string;

  @Column({ type: "datetime" })
  expires_at: Date;

  @CreateDateColumn({ type: "datetime", nullable: true })
  created_at: Date;
}
