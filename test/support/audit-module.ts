import Database from "better-sqlite3";
import path from "node:path";
import { FRAMEWORK_IMPORT } from "./module-sources";
import type { TempRoot } from "./temp-root";

/** The secret the vault's sensitive column holds in the audit tests; it must never reach an audit row. */
export const VAULT_SECRET = "vault-secret-7f3a9c-never-audited";

/**
 * Writes the `vault` test module: `accounts` (a sensitive `secret`), `ledger` rows whose
 * `account_id` is a DEFERRABLE INITIALLY DEFERRED foreign key (so a bad one fails at COMMIT,
 * after every statement of the write — the audit insert included — ran), `memos` with a soft-delete
 * column, `pairs` with a composite key, and `AccountDesk`, a service writing through CrudService.
 */
export function writeVaultModule(temp: TempRoot): void {
  temp.writeModuleFile(
    "vault",
    "db-models.ts",
    `
import { Column, DeleteDateColumn, Entity, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn, type Relation } from "typeorm";
import { Sensitive } from "${FRAMEWORK_IMPORT}/crud/sensitive";

export const DATABASE_NAME = "vault";

@Entity({ name: "accounts" })
export class Account {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: "varchar", length: 100 }) name: string;
  @Sensitive()
  @Column({ type: "varchar", length: 200, nullable: true }) secret: string | null;
}

@Entity({ name: "ledger" })
export class Ledger {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: "integer" }) account_id: number;
  @ManyToOne(() => Account, { deferrable: "INITIALLY DEFERRED" })
  @JoinColumn({ name: "account_id" })
  account?: Relation<Account>;
  @Column({ type: "integer" }) amount: number;
}

@Entity({ name: "memos" })
export class Memo {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: "text" }) body: string;
  @Column({ type: "varchar", length: 20, default: "open" }) status: string;
  @DeleteDateColumn({ type: "datetime", nullable: true }) deleted_at: Date | null;
}

@Entity({ name: "pairs" })
export class Pair {
  @PrimaryColumn({ type: "varchar", length: 20 }) left: string;
  @PrimaryColumn({ type: "integer" }) right: number;
  @Column({ type: "text", nullable: true }) label: string | null;
}
`,
  );
  temp.writeModuleFile(
    "vault",
    "module.ts",
    `
import { injectable } from "tsyringe";
import { CrudService } from "${FRAMEWORK_IMPORT}";

@injectable()
export class AccountDesk {
  constructor(readonly crud: CrudService) {}
  open(name: string, secret: string) {
    return this.crud.create("vault", "accounts", { name, secret });
  }
}

export const services = [AccountDesk];
`,
  );
}

/** One `moduledb_audit` row as stored. */
export interface StoredAuditRow {
  readonly id: number;
  readonly at: number;
  readonly actor: string;
  readonly request_id: string | null;
  readonly table_name: string;
  readonly operation: string;
  readonly record_key: string;
  readonly changed_columns: string;
  readonly values: string | null;
}

/** Every audit row of a database file, read through a connection of its own (not the framework's). */
export function auditRows(file: string): StoredAuditRow[] {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return db.prepare("SELECT * FROM moduledb_audit ORDER BY id").all() as StoredAuditRow[];
  } finally {
    db.close();
  }
}

/** The vault database's file under a root. */
export function vaultFile(temp: TempRoot): string {
  return path.join(temp.dataDir, "vault.db");
}
