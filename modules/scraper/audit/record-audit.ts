import { randomUUID } from "node:crypto";
import type { EntityManager } from "typeorm";
import type { QueryDeepPartialEntity } from "typeorm/query-builder/QueryPartialEntity";
import { AuditLog } from "../entities/audit-log";
import type { AuditActor } from "./audit-actor";

/** What was done to which resource. */
export interface AuditEntry {
  /** `<resource>.<verb>`, e.g. `user.create`. */
  readonly action: string;
  readonly resourceType: string;
  readonly resourceId: string | null;
  /** Facts worth keeping about the change; never secrets (passwords, tokens, sensitive values). */
  readonly details?: Record<string, unknown>;
}

/**
 * Writes one audit row with `manager` — the transaction manager of the change being audited, so
 * the row commits with the change or not at all.
 */
export async function recordAudit(manager: EntityManager, actor: AuditActor, entry: AuditEntry): Promise<void> {
  const row: Partial<AuditLog> = {
    id: randomUUID(),
    user_id: actor.userId,
    action: entry.action,
    resource_type: entry.resourceType,
    resource_id: entry.resourceId,
    details: entry.details ?? null,
    ip_address: actor.ipAddress ?? null,
    user_agent: actor.userAgent ?? null,
  };
  // TypeORM's insert typing cannot see through an `unknown`-valued JSON column; the row is complete.
  await manager.insert(AuditLog, row as QueryDeepPartialEntity<AuditLog>);
}
