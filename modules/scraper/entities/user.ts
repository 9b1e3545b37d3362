import { Column, CreateDateColumn, DeleteDateColumn, Entity, PrimaryGeneratedColumn, Unique, UpdateDateColumn } from "typeorm";
import { Sensitive } from "../../../framework/crud/sensitive";

/** Roles a user may hold; the seed's default is `user`. */
export const USER_ROLES = ["user", "admin"] as const;
/** A user's role. */
export type UserRole = (typeof USER_ROLES)[number];

/** An account (seed 002 `users`); soft-deleted rows keep their username and email taken. */
@Entity({ name: "users" })
@Unique("uq_users_username", ["username"])
@Unique("uq_users_email", ["email"])
export class User {
  @PrimaryGeneratedColumn("uuid")
  id: string;

  @Column({ type: "varchar", length: 50 })
  username: string;

  @Column({ type: "varchar", length: 255 })
  email: string;

  /** `scrypt$N$r$p$salt$hash`; never leaves the module (see users/password-hash.ts). */
  @Sensitive()
  @Column({ type: "varchar", length: 255 })
  password_hash: string;

  @Column({ type: "varchar", length: 100, nullable: true })
  full_name: string | null;

  @Column({ type: "varchar", length: 20, nullable: true, default: "user" })
  role: string | null;

  @Column({ type: "boolean", nullable: true, default: true })
  is_active: boolean | null;

  @CreateDateColumn({ type: "datetime", nullable: true })
  created_at: Date;

  @UpdateDateColumn({ type: "datetime", nullable: true })
  updated_at: Date;

  /** Soft delete: set instead of removing the row; listings skip such users unless asked. */
  @DeleteDateColumn({ type: "datetime", nullable: true })
  deleted_at: Date | null;
}
