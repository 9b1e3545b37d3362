import type { DataSource, EntityMetadata } from "typeorm";
import type { ColumnMetadata } from "typeorm/metadata/ColumnMetadata";
import { tableColumns } from "../../crud/column-lookup";

/** One column as the schema route describes it. */
export interface ColumnDescription {
  readonly name: string;
  readonly type: string;
  readonly nullable: boolean;
  /** The SQL default expression, or null when there is none. */
  readonly default: string | null;
  readonly primary: boolean;
  readonly unique: boolean;
  readonly generated: boolean;
  readonly length: string | null;
}

/** A table's structure: columns, indexes, foreign keys and checks. */
export interface TableSchema {
  readonly columns: ColumnDescription[];
  readonly indexes: { name: string; columns: string[]; unique: boolean }[];
  readonly foreign_keys: { name: string; columns: string[]; referenced_table: string; referenced_columns: string[]; on_delete: string | null; on_update: string | null }[];
  readonly checks: { name: string; expression: string }[];
}

function singleColumnUniques(metadata: EntityMetadata): Set<string> {
  const unique = new Set<string>();
  for (const constraint of [...metadata.uniques, ...metadata.indices.filter((index) => index.isUnique)]) {
    if (constraint.columns.length === 1 && constraint.columns[0] !== undefined) unique.add(constraint.columns[0].databaseName);
  }
  return unique;
}

function describeColumn(dataSource: DataSource, column: ColumnMetadata, uniques: ReadonlySet<string>): ColumnDescription {
  const sqlDefault = dataSource.driver.normalizeDefault(column);
  return {
    name: column.databaseName,
    type: dataSource.driver.normalizeType(column),
    nullable: column.isNullable,
    default: sqlDefault ?? null,
    primary: column.isPrimary,
    unique: uniques.has(column.databaseName),
    generated: column.isGenerated,
    length: column.length === "" ? null : column.length,
  };
}

/**
 * Describes a table from its entity metadata, which boot has already reconciled with the file.
 * Sensitive columns are left out entirely, and so is any index or key that names one.
 */
export function describeTable(dataSource: DataSource, metadata: EntityMetadata, sensitive: ReadonlySet<string>): TableSchema {
  const visible = (names: readonly string[]) => names.every((name) => !sensitive.has(name));
  const uniques = singleColumnUniques(metadata);
  return {
    columns: tableColumns(metadata)
      .filter((column) => !sensitive.has(column.databaseName))
      .map((column) => describeColumn(dataSource, column, uniques)),
    indexes: [
      ...metadata.indices.map((index) => ({ name: index.name, columns: index.columns.map((column) => column.databaseName), unique: index.isUnique })),
      ...metadata.uniques.map((unique) => ({ name: unique.name, columns: unique.columns.map((column) => column.databaseName), unique: true })),
    ].filter((index) => visible(index.columns)),
    foreign_keys: metadata.foreignKeys
      .map((key) => ({
        name: key.name,
        columns: key.columns.map((column) => column.databaseName),
        referenced_table: key.referencedTablePath,
        referenced_columns: key.referencedColumns.map((column) => column.databaseName),
        on_delete: key.onDelete ?? null,
        on_update: key.onUpdate ?? null,
      }))
      .filter((key) => visible(key.columns)),
    checks: metadata.checks.map((check) => ({ name: check.name, expression: check.expression })).filter((check) => ![...sensitive].some((name) => check.expression.includes(name))),
  };
}
