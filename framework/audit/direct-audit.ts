import type { EntityMetadata } from "typeorm";
import type { SameTransactionWork } from "../crud/compiled/direct-crud";
import { sensitiveColumns } from "../crud/sensitive";
import { quoteIdentifier } from "../crud/sql-identifier";
import type { AuditContext } from "./audit-actor";
import { AUDIT_TABLE } from "./audit-entity";
import { auditJson, recordKeyText } from "./audit-values";

const COLUMNS = ["at", "actor", "request_id", "table_name", "operation", "record_key", "changed_columns", "values"] as const;

/**
 * The audit row of one compiled write (the CrudService's hot paths, see `crud/compiled`), as work
 * that runs on the write's own connection inside its transaction: the same row {@link AuditTrail}
 * appends on the DataSource path — key, changed column names, non-sensitive values — so both
 * paths leave identical trails, and a failure of either statement rolls back both.
 */
export function directAudit(metadata: EntityMetadata, placeholder: (index: number) => string, context: AuditContext): SameTransactionWork {
  const sensitive = sensitiveColumns(metadata);
  const keys = metadata.primaryColumns.map((column) => column.databaseName);
  const sql = `INSERT INTO ${quoteIdentifier(AUDIT_TABLE)} (${COLUMNS.map((column) => quoteIdentifier(column)).join(", ")}) VALUES (${COLUMNS.map((_, index) => placeholder(index)).join(", ")})`;
  return (connection, write) => {
    const key = Object.fromEntries(keys.map((name) => [name, write.record[name]]));
    const shown = Object.fromEntries(write.columns.filter((name) => !sensitive.has(name)).map((name) => [name, write.record[name] ?? null]));
    const values = write.operation === "delete" ? null : auditJson(shown);
    connection.prepare(sql).run([Date.now(), context.actor, context.requestId, metadata.tableName, write.operation, recordKeyText(key), auditJson(write.columns), values]);
  };
}
