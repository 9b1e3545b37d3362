import type { ColumnMetadata } from "typeorm/metadata/ColumnMetadata";
import type { DataSource, EntityMetadata, QueryRunner, Table } from "typeorm";
import { isFrameworkOwnedTable } from "../access/table-access";
import { schemaChange, type SchemaChange } from "./schema-change";

/**
 * Tables the framework or TypeORM keep for themselves; never reported as dropped, never a
 * module's. `moduledb_dropped_*` tables hold the rows of tables a migration dropped, so that
 * reverting it can bring them back; framework-owned tables (`moduledb_audit`) are in every database.
 */
export function isInternalTable(name: string): boolean {
  return (
    name.startsWith("sqlite_") ||
    name === "typeorm_metadata" ||
    name === "moduledb_migrations" ||
    isFrameworkOwnedTable(name) ||
    name.startsWith("moduledb_dropped_") ||
    name.startsWith("temporary_")
  );
}

function describeColumnChange(table: Table, column: ColumnMetadata, dataSource: DataSource): string {
  const existing = table.columns.find((candidate) => candidate.name === column.databaseName);
  const wanted = dataSource.driver.normalizeType(column);
  const parts: string[] = [];
  if (existing !== undefined) {
    if (existing.type !== wanted) parts.push(`type ${existing.type} → ${wanted}`);
    if (existing.isNullable !== column.isNullable) parts.push(column.isNullable ? "NOT NULL → nullable" : "nullable → NOT NULL");
    if (existing.isPrimary !== column.isPrimary) parts.push("primary key changed");
    if ((existing.length ?? "") !== (column.length ?? "")) parts.push(`length ${existing.length || "none"} → ${column.length || "none"}`);
  }
  const what = parts.length > 0 ? parts.join(", ") : "definition changed (default, uniqueness or generation)";
  return `Column '${table.name}.${column.databaseName}' changed: ${what}.`;
}

function isAddableColumn(column: ColumnMetadata): boolean {
  // SQLite's ADD COLUMN needs a nullable column or one with a default; keys cannot be added this way.
  return !column.isPrimary && !column.isGenerated && !column.entityMetadata.uniques.some((unique) => unique.columns.includes(column)) && (column.isNullable || column.default !== undefined);
}

function diffTable(table: Table, metadata: EntityMetadata, dataSource: DataSource): SchemaChange[] {
  const changes: SchemaChange[] = [];
  const name = metadata.tableName;
  const declared = metadata.columns.filter((column) => !column.isVirtualProperty);
  const declaredNames = new Set(declared.map((column) => column.databaseName));
  const existingNames = new Set(table.columns.map((column) => column.name));

  const dropped = table.columns.filter((column) => !declaredNames.has(column.name));
  const added = declared.filter((column) => !existingNames.has(column.databaseName));
  for (const column of dropped) {
    const renameHint = added.length > 0 ? ` (renamed to ${added.map((c) => `'${c.databaseName}'`).join(" or ")}?)` : "";
    changes.push(schemaChange("drop_column", name, `Column '${name}.${column.name}' exists in the database but not in the entity${renameHint}; dropping it would lose its data.`, column.name));
  }
  for (const column of added) {
    if (isAddableColumn(column)) {
      changes.push(schemaChange("add_column", name, `New column '${name}.${column.databaseName}'.`, column.databaseName));
    } else {
      changes.push(schemaChange("add_required_column", name, `New column '${name}.${column.databaseName}' is NOT NULL without a default (or a key); existing rows need a migration to fill it.`, column.databaseName));
    }
  }
  for (const column of dataSource.driver.findChangedColumns(table.columns, declared)) {
    changes.push(schemaChange("change_column", name, describeColumnChange(table, column, dataSource), column.databaseName));
  }

  const wantedIndexes = new Map(metadata.indices.filter((index) => index.name !== undefined).map((index) => [index.name, index]));
  const existingIndexes = new Map(table.indices.map((index) => [index.name ?? "", index]));
  for (const [indexName] of wantedIndexes) {
    if (!existingIndexes.has(indexName)) changes.push(schemaChange("add_index", name, `New index '${indexName}' on '${name}'.`, indexName));
  }
  for (const [indexName] of existingIndexes) {
    if (!wantedIndexes.has(indexName)) changes.push(schemaChange("drop_index", name, `Index '${indexName}' on '${name}' is no longer declared.`, indexName));
  }

  const constraintNames = (items: readonly { name?: string | undefined }[]) => new Set(items.map((item) => item.name ?? ""));
  const pairs: [string, Set<string>, Set<string>][] = [
    ["foreign key", constraintNames(metadata.foreignKeys), constraintNames(table.foreignKeys)],
    ["unique constraint", constraintNames(metadata.uniques), constraintNames(table.uniques)],
    ["check constraint", constraintNames(metadata.checks), constraintNames(table.checks)],
  ];
  for (const [label, wanted, existing] of pairs) {
    const missing = [...wanted].filter((item) => !existing.has(item));
    const extra = [...existing].filter((item) => !wanted.has(item));
    if (missing.length > 0 || extra.length > 0) {
      const detail = [...missing.map((item) => `+${item}`), ...extra.map((item) => `-${item}`)].join(", ");
      changes.push(schemaChange("change_constraint", name, `The ${label}s of '${name}' changed (${detail}); SQLite must rebuild the table.`, label));
    }
  }
  return changes;
}

/**
 * The changes that concern the modules' own tables: what a module migration is for. Changes to
 * framework-owned tables are the framework's, made by the boot's additive step.
 */
export function moduleChanges(changes: readonly SchemaChange[]): SchemaChange[] {
  return changes.filter((change) => !isFrameworkOwnedTable(change.table));
}

/**
 * Compares a database's entities with the schema on disk and names every difference.
 * Reads only; runs on the caller's query runner so it can sit inside the caller's transaction.
 */
export async function diffSchema(dataSource: DataSource, runner: QueryRunner): Promise<SchemaChange[]> {
  const existingTables = await runner.getTables();
  const byName = new Map(existingTables.map((table) => [table.name, table]));
  const metadatas = dataSource.entityMetadatas.filter((metadata) => metadata.tableType !== "view");
  const declared = new Set(metadatas.map((metadata) => metadata.tableName));
  const changes: SchemaChange[] = [];
  for (const metadata of metadatas) {
    const table = byName.get(metadata.tableName);
    if (table === undefined) changes.push(schemaChange("add_table", metadata.tableName, `New table '${metadata.tableName}'.`));
    else changes.push(...diffTable(table, metadata, dataSource));
  }
  for (const table of existingTables) {
    if (!declared.has(table.name) && !isInternalTable(table.name)) {
      changes.push(schemaChange("drop_table", table.name, `Table '${table.name}' exists in the database but no entity declares it; dropping it would lose its data.`));
    }
  }
  return changes;
}
