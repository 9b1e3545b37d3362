import type { EntityManager } from "typeorm";
import { AuditEntity, type AuditRecord } from "./audit-entity";

/** One audit row to append, as stored (JSON columns already serialised). */
export type AuditEntry = Omit<AuditRecord, "id">;

/** Rows per INSERT: 8 bound values each, far below every engine's parameter limit. */
const ROWS_PER_STATEMENT = 500;

/**
 * Appends audit rows with the write's own EntityManager, so they join the write's transaction:
 * the change and its audit commit or roll back together. This is the one statement the audit
 * trail adds to a write; a caller that compiles its own statements (a hot path) may call it with
 * its manager, or replace it with a compiled insert of the same columns.
 */
export async function recordAudit(manager: EntityManager, entries: readonly AuditEntry[]): Promise<void> {
  for (let start = 0; start < entries.length; start += ROWS_PER_STATEMENT) {
    await manager
      .createQueryBuilder()
      .insert()
      .into(AuditEntity)
      .values(entries.slice(start, start + ROWS_PER_STATEMENT) as AuditEntry[])
      .updateEntity(false)
      .callListeners(false)
      .execute();
  }
}
