import type { User } from "../entities/user";

/** A user as services hand it out: everything but the password hash. */
export interface UserView {
  readonly id: string;
  readonly username: string;
  readonly email: string;
  readonly full_name: string | null;
  readonly role: string | null;
  readonly is_active: boolean;
  readonly created_at: Date;
  readonly updated_at: Date;
  readonly deleted_at: Date | null;
}

/** Strips the password hash off a user row. */
export function toUserView(user: User): UserView {
  return {
    id: user.id,
    username: user.username,
    email: user.email,
    full_name: user.full_name,
    role: user.role,
    is_active: user.is_active !== false,
    created_at: user.created_at,
    updated_at: user.updated_at,
    deleted_at: user.deleted_at,
  };
}
