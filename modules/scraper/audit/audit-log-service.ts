import type { ResultAsync } from "neverthrow";
import { injectable } from "tsyringe";
import type { FindOptionsWhere } from "typeorm";
import { InjectDatabase } from "../../../framework/container/tokens";
import type { ModuleDatabase } from "../../../framework/database/module-database";
import { DATABASE_NAME } from "../db-models";
import { AuditLog } from "../entities/audit-log";
import type { ScraperError } from "../support/scraper-error";
import { readQuery } from "../support/write-transaction";

/** Which audit rows to read. */
export interface AuditQuery {
  readonly userId?: string;
  readonly resourceType?: string;
  readonly resourceId?: string;
  readonly action?: string;
  /** Newest first; at most this many (default 100). */
  readonly limit?: number;
}

/** Reads the audit trail the other scraper services write. */
@injectable()
export class AuditLogService {
  constructor(@InjectDatabase(DATABASE_NAME) private readonly database: ModuleDatabase) {}

  /** Audit rows matching the query, newest first. */
  list(query: AuditQuery = {}): ResultAsync<AuditLog[], ScraperError> {
    const where: FindOptionsWhere<AuditLog> = {};
    if (query.userId !== undefined) where.user_id = query.userId;
    if (query.resourceType !== undefined) where.resource_type = query.resourceType;
    if (query.resourceId !== undefined) where.resource_id = query.resourceId;
    if (query.action !== undefined) where.action = query.action;
    return readQuery(this.database, (manager) => manager.find(AuditLog, { where, order: { created_at: "DESC" }, take: Math.min(Math.max(query.limit ?? 100, 1), 1000) }));
  }
}
