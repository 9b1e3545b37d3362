import { ResultAsync } from "neverthrow";
import type { EntityManager, EntityMetadata, InsertResult } from "typeorm";
import type { ColumnMetadata } from "typeorm/metadata/ColumnMetadata";
import type { ModuleDatabase } from "../database/module-database";
import type { DbError } from "../errors/db-error";
import { sensitiveColumns } from "../crud/sensitive";
import type { AuditContext } from "./audit-actor";
import { auditJson, recordKeyText } from "./audit-values";
import { recordAudit, type AuditEntry } from "./record-audit";

/**
 * What a write did to one table, as the audit records it: `create`, `update`, `delete` (a soft
 * delete on tables with a delete-date column), `restore`, `hard-delete` and `import`.
 */
export type AuditOperation = "create" | "update" | "delete" | "restore" | "hard-delete" | "import";

/** The changed columns of a record: their values (database column → value), or only their names. */
export type AuditChanges = ReadonlyMap<ColumnMetadata, unknown> | readonly string[];

/**
 * The audit rows one write transaction collects for one table. Values of `@Sensitive` columns
 * never enter it: their names are listed among the changed columns, their values left out.
 */
export class AuditTrail {
  private readonly entries: AuditEntry[] = [];
  private readonly sensitive: ReadonlySet<string>;
  private readonly at = Date.now();

  constructor(
    private readonly metadata: EntityMetadata,
    private readonly context: AuditContext,
  ) {
    this.sensitive = sensitiveColumns(metadata);
  }

  /** Notes one changed record by its key (database column → value). */
  note(operation: AuditOperation, key: Readonly<Record<string, unknown>>, changes: AuditChanges = []): void {
    this.noteAll(operation, [key], changes);
  }

  /** Notes records that all had the same change (a bulk update or delete): one row each. */
  noteAll(operation: AuditOperation, keys: readonly Readonly<Record<string, unknown>>[], changes: AuditChanges = []): void {
    if (keys.length === 0) return;
    const { columns, values } = this.describe(changes);
    for (const key of keys) this.entries.push(this.entry(operation, key, columns, values));
  }

  /**
   * Notes the records one INSERT of `entities` created, each with its own values. Keys the
   * caller gave are taken from the entity; generated ones as the engine's driver reports them for
   * the statement (SQLite: consecutive rowids ending at the last one inserted), or as TypeORM made
   * them itself (`locallyGenerated`: uuids on engines that cannot).
   */
  noteInserted(
    operation: AuditOperation,
    manager: EntityManager,
    inserted: { readonly entities: readonly Record<string, unknown>[]; readonly changes: readonly AuditChanges[]; readonly result: InsertResult; readonly locallyGenerated?: Readonly<Record<number, object>> },
  ): void {
    const { driver } = manager.connection;
    const { entities, changes, result } = inserted;
    entities.forEach((entity, index) => {
      // As TypeORM reads them: one returned row per entity (RETURNING), or the statement's last rowid.
      const raw: unknown = Array.isArray(result.raw) ? result.raw[index] : result.raw;
      const generated = (driver.createGeneratedMap(this.metadata, raw, index, entities.length) ?? {}) as Record<string, unknown>;
      const local = (inserted.locallyGenerated?.[index] ?? {}) as Record<string, unknown>;
      const key = Object.fromEntries(this.metadata.primaryColumns.map((column) => [column.databaseName, column.getEntityValue(entity) ?? column.getEntityValue(local) ?? column.getEntityValue(generated)]));
      const { columns, values } = this.describe(changes[index] ?? []);
      this.entries.push(this.entry(operation, key, columns, values));
    });
  }

  /**
   * Inserts `entities` (validated `changes`, one per entity) in one statement and notes each
   * inserted record. On engines with RETURNING (PostgreSQL) the statement returns the keys; on
   * SQLite they follow from the last rowid.
   */
  async insert(manager: EntityManager, operation: AuditOperation, entities: Record<string, unknown>[], changes: readonly AuditChanges[]): Promise<void> {
    const insert = manager.createQueryBuilder().insert().into(this.metadata.target).values(entities).updateEntity(false);
    if (manager.connection.driver.isReturningSqlSupported("insert")) insert.returning(this.metadata.primaryColumns.map((column) => column.databaseName));
    const result = await insert.execute();
    this.noteInserted(operation, manager, { entities, changes, result, locallyGenerated: insert.expressionMap.locallyGenerated });
  }

  /** Appends what was noted with the write's manager (so inside its transaction) and forgets it. */
  async flush(manager: EntityManager): Promise<void> {
    if (this.entries.length === 0) return;
    await recordAudit(manager, this.entries.splice(0));
  }

  private describe(changes: AuditChanges): { columns: string; values: string | null } {
    if (Array.isArray(changes)) return { columns: auditJson(changes), values: null };
    const names: string[] = [];
    const shown: Record<string, unknown> = {};
    for (const [column, value] of changes as ReadonlyMap<ColumnMetadata, unknown>) {
      names.push(column.databaseName);
      if (!this.sensitive.has(column.databaseName)) shown[column.databaseName] = value ?? null;
    }
    return { columns: auditJson(names), values: auditJson(shown) };
  }

  private entry(operation: AuditOperation, key: Readonly<Record<string, unknown>>, columns: string, values: string | null): AuditEntry {
    return {
      at: this.at,
      actor: this.context.actor,
      request_id: this.context.requestId,
      table_name: this.metadata.tableName,
      operation,
      record_key: recordKeyText(key),
      changed_columns: columns,
      values,
    };
  }
}

/**
 * The one way a framework write reaches a database: `work` runs in one write transaction with a
 * fresh {@link AuditTrail} for `metadata`'s table, and what it noted is appended with the same
 * manager before COMMIT. A failure anywhere, COMMIT included, leaves neither the change nor its
 * audit. The trail is made inside the transaction so a retried unit never carries stale notes.
 */
export function auditedTransaction<T>(db: ModuleDatabase, metadata: EntityMetadata, context: AuditContext, work: (manager: EntityManager, trail: AuditTrail) => Promise<T>): ResultAsync<T, DbError> {
  return db.transaction(async (manager) => {
    const trail = new AuditTrail(metadata, context);
    const value = await work(manager, trail);
    await trail.flush(manager);
    return value;
  });
}
