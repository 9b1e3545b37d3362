import { EntitySchema } from "typeorm";
import { registerFrameworkOwnedTable } from "../access/table-access";

/** The table every database (module databases and the framework's own) keeps its audit trail in. */
export const AUDIT_TABLE = "moduledb_audit";

/**
 * One stored audit row. `at` is epoch milliseconds; `record_key` the primary key (the value as
 * text, JSON of column → value for a composite key); `changed_columns` a JSON array of column
 * names; `values` JSON of the changed non-sensitive values (null when none are known, e.g. a delete).
 */
export interface AuditRecord {
  id: number;
  at: number;
  actor: string;
  request_id: string | null;
  table_name: string;
  operation: string;
  record_key: string;
  changed_columns: string;
  values: string | null;
}

/**
 * The audit table as a TypeORM EntitySchema, added to every database the framework opens (see
 * `database/open-data-source`). Engine-neutral: the engine's own schema step creates it, so it
 * needs no SQL of its own. Indexed for the two reads it serves: one table's history in time
 * order, and retention pruning / newest-first pages by time.
 */
export const AuditEntity = new EntitySchema<AuditRecord>({
  name: "ModuledbAudit",
  tableName: AUDIT_TABLE,
  columns: {
    id: { type: Number, primary: true, generated: "increment" },
    // Epoch ms do not fit a 32-bit integer (PostgreSQL's `integer`); SQLite stores either the same way.
    at: { type: "bigint" },
    actor: { type: "varchar", length: 200 },
    request_id: { type: "varchar", length: 200, nullable: true },
    table_name: { type: "varchar", length: 200 },
    operation: { type: "varchar", length: 20 },
    record_key: { type: "text" },
    changed_columns: { type: "text" },
    values: { type: "text", nullable: true },
  },
  indices: [
    { name: "idx_moduledb_audit_table_at", columns: ["table_name", "at"] },
    { name: "idx_moduledb_audit_at", columns: ["at"] },
  ],
});

registerFrameworkOwnedTable(AUDIT_TABLE);

/** Entities the framework adds to every database it opens, beside the ones its modules declare. */
export const FRAMEWORK_OWNED_ENTITIES = [AuditEntity] as const;
