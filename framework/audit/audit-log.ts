import { ResultAsync } from "neverthrow";
import { Between, LessThan, LessThanOrEqual, MoreThanOrEqual, type FindOptionsWhere } from "typeorm";
import type { ModuleDatabase } from "../database/module-database";
import type { DbError } from "../errors/db-error";
import { AuditEntity, type AuditRecord } from "./audit-entity";

/** Which audit rows to read; every filter is exact except the time range (`from` ≤ at ≤ `to`, epoch ms). */
export interface AuditFilter {
  readonly table?: string | undefined;
  /** The `record_key`: the key as text (`5`), or for a composite key its JSON (`{"a":1,"b":"x"}`). */
  readonly record?: string | undefined;
  readonly actor?: string | undefined;
  readonly from?: number | undefined;
  readonly to?: number | undefined;
  /** 1-based page (default 1). */
  readonly page?: number | undefined;
  /** Rows per page (default {@link DEFAULT_AUDIT_PAGE_SIZE}, at most {@link MAX_AUDIT_PAGE_SIZE}). */
  readonly pageSize?: number | undefined;
}

/** Rows per page when none is asked for. */
export const DEFAULT_AUDIT_PAGE_SIZE = 50;
/** The largest page. */
export const MAX_AUDIT_PAGE_SIZE = 1_000;

/** One audit row as the CLI and the HTTP API show it (snake_case, JSON columns parsed). */
export interface AuditView {
  readonly id: number;
  /** ISO time with milliseconds. */
  readonly at: string;
  readonly actor: string;
  readonly request_id: string | null;
  readonly table: string;
  readonly operation: string;
  readonly record_key: string;
  readonly changed_columns: string[];
  /** Changed values of non-sensitive columns; null when the operation names columns only (deletes, restores). */
  readonly values: Record<string, unknown> | null;
}

/** One page of audit rows, newest first. */
export interface AuditPage {
  readonly page: number;
  readonly pageSize: number;
  readonly totalRecords: number;
  readonly totalPages: number;
  readonly entries: AuditView[];
}

function parsed<T>(text: string | null, fallback: T): T {
  if (text === null) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

function view(record: AuditRecord): AuditView {
  return {
    id: record.id,
    at: new Date(Number(record.at)).toISOString(),
    actor: record.actor,
    request_id: record.request_id,
    table: record.table_name,
    operation: record.operation,
    record_key: record.record_key,
    changed_columns: parsed<string[]>(record.changed_columns, []),
    values: parsed<Record<string, unknown> | null>(record.values, null),
  };
}

function timeCondition(from: number | undefined, to: number | undefined) {
  if (from !== undefined && to !== undefined) return Between(from, to);
  if (from !== undefined) return MoreThanOrEqual(from);
  if (to !== undefined) return LessThanOrEqual(to);
  return undefined;
}

/** A page of `database`'s audit trail, newest first, filtered; count and page read from one snapshot. */
export function readAudit(database: ModuleDatabase, filter: AuditFilter = {}): ResultAsync<AuditPage, DbError> {
  const page = Math.max(1, Math.floor(filter.page ?? 1));
  const pageSize = Math.min(Math.max(1, Math.floor(filter.pageSize ?? DEFAULT_AUDIT_PAGE_SIZE)), MAX_AUDIT_PAGE_SIZE);
  const at = timeCondition(filter.from, filter.to);
  const where: FindOptionsWhere<AuditRecord> = {
    ...(filter.table === undefined ? {} : { table_name: filter.table }),
    ...(filter.record === undefined ? {} : { record_key: filter.record }),
    ...(filter.actor === undefined ? {} : { actor: filter.actor }),
    ...(at === undefined ? {} : { at }),
  };
  return database
    .snapshot((manager) => manager.getRepository(AuditEntity).findAndCount({ where, order: { at: "DESC", id: "DESC" }, skip: (page - 1) * pageSize, take: pageSize }))
    .map(([records, total]) => ({ page, pageSize, totalRecords: total, totalPages: Math.ceil(total / pageSize), entries: records.map(view) }));
}

/**
 * Deletes `database`'s audit rows older than `retentionDays`; returns how many went. Looks first
 * (a read), so a run with nothing to prune takes no write lock.
 */
export function pruneAudit(database: ModuleDatabase, retentionDays: number, now = Date.now()): ResultAsync<number, DbError> {
  const where = { at: LessThan(now - retentionDays * 86_400_000) };
  return database
    .snapshot((manager) => manager.getRepository(AuditEntity).exists({ where }))
    .andThen((any) => (any ? database.transaction(async (manager) => (await manager.getRepository(AuditEntity).delete(where)).affected ?? 0) : ResultAsync.fromSafePromise(Promise.resolve(0))));
}
