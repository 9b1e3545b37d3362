import type { TempRoot } from "../../support/temp-root";

/** A strong token for the auth tests. */
export const TEST_TOKEN = "test-token-0123456789abcdef";

/**
 * Writes the `accounts` test module: an `accounts` table with two sensitive columns (password and
 * token hashes), a unique email, a numeric priority and a status; plus `notes` referencing it.
 */
export function writeAccountsModule(temp: TempRoot): void {
  temp.writeModuleFile(
    "accounts",
    "db-models.ts",
    `
import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from "typeorm";
import { Sensitive } from "../../../../framework/crud/sensitive";

export const DATABASE_NAME = "accounts";

@Entity({ name: "accounts" })
@Index("idx_accounts_status", ["status"])
export class Account {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: "varchar", length: 200, unique: true })
  email: string;

  @Column({ type: "varchar", length: 100 })
  name: string;

  @Column({ type: "varchar", length: 20, default: "active" })
  status: string;

  @Column({ type: "integer", default: 5 })
  priority: number;

  @Sensitive()
  @Column({ type: "varchar", length: 200, nullable: true })
  password_hash: string | null;

  @Sensitive()
  @Column({ type: "varchar", length: 200, nullable: true })
  api_token_hash: string | null;

  @CreateDateColumn({ type: "datetime" })
  created_at: Date;
}

@Entity({ name: "notes" })
export class Note {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: "integer" })
  account_id: number;

  @ManyToOne(() => Account, { onDelete: "CASCADE" })
  @JoinColumn({ name: "account_id" })
  account?: Relation<Account>;

  @Column({ type: "text" })
  body: string;
}
`,
  );
}

/** Sensitive values seeded into the accounts table; none may ever be seen in a response or a log. */
export const SECRETS = ["$argon2id$secret-password-hash-AAA", "sha256:secret-token-hash-BBB", "$argon2id$secret-password-hash-CCC"];

/** Seed accounts (the first two carry {@link SECRETS}). */
export const SEED_ACCOUNTS = [
  { email: "ada@example.com", name: "Ada", status: "active", priority: 1, password_hash: SECRETS[0], api_token_hash: SECRETS[1] },
  { email: "bob@example.com", name: "Bob", status: "disabled", priority: 2, password_hash: SECRETS[2], api_token_hash: null },
  { email: "cy@example.com", name: "Cy", status: "active", priority: 3, password_hash: null, api_token_hash: null },
];
