import type { EntityMetadata } from "typeorm";
import type { ColumnMetadata } from "typeorm/metadata/ColumnMetadata";

/** One column as a diagram shows it. */
export interface ErdColumn {
  readonly name: string;
  /** The declared database type, with its length when one is declared (`varchar(500)`). */
  readonly type: string;
  readonly primary: boolean;
  /** True when the column is part of a foreign key. */
  readonly foreign: boolean;
  readonly unique: boolean;
  readonly nullable: boolean;
}

/** One table of the diagram. */
export interface ErdTable {
  readonly name: string;
  readonly columns: readonly ErdColumn[];
  /** True for the junction table TypeORM makes for a many-to-many relation. */
  readonly junction: boolean;
}

/**
 * How many rows of `from` may point at one row of `to`: `many-to-one` (a plain foreign key) or
 * `one-to-one` (a foreign key that is also unique or the primary key).
 */
export type ErdCardinality = "many-to-one" | "one-to-one";

/** A foreign key: `from.columns` references `to.referencedColumns`. */
export interface ErdRelation {
  readonly from: string;
  readonly to: string;
  readonly columns: readonly string[];
  readonly referencedColumns: readonly string[];
  readonly cardinality: ErdCardinality;
  /** True when the referencing columns may be NULL (the row need not have a parent). */
  readonly optional: boolean;
  readonly onDelete: string | null;
  /**
   * Set when the referenced table is not one of this database's tables: the database (module) it
   * belongs to when known, otherwise `"unknown"`. Such a reference cannot be enforced by SQLite.
   */
  readonly crossModule: string | null;
}

/** The entity-relationship model of one database, built from its TypeORM entity metadata. */
export interface ErdModel {
  readonly database: string;
  readonly tables: readonly ErdTable[];
  readonly relations: readonly ErdRelation[];
}

/** Where a table that is not in this database lives, when another database declares it. */
export type ForeignTableOwner = (metadata: EntityMetadata) => string | undefined;

function columnType(column: ColumnMetadata): string {
  // The driver's own name for the type (a `Number` property becomes `integer`), as the DDL has it.
  const type = column.entityMetadata.connection.driver.normalizeType(column);
  return column.length === "" ? type : `${type}(${column.length})`;
}

function uniqueColumnSets(metadata: EntityMetadata): string[][] {
  const sets = metadata.uniques.map((unique) => unique.columns.map((column) => column.databaseName));
  for (const index of metadata.indices) if (index.isUnique) sets.push(index.columns.map((column) => column.databaseName));
  return sets;
}

function sameSet(left: readonly string[], right: readonly string[]): boolean {
  return left.length === right.length && left.every((name) => right.includes(name));
}

function tableOf(metadata: EntityMetadata): ErdTable {
  const foreign = new Set(metadata.foreignKeys.flatMap((key) => key.columns.map((column) => column.databaseName)));
  const uniques = uniqueColumnSets(metadata);
  const singleUnique = new Set(uniques.filter((set) => set.length === 1).map((set) => set[0]));
  return {
    name: metadata.tableName,
    junction: metadata.tableType === "junction",
    columns: metadata.columns.map((column) => ({
      name: column.databaseName,
      type: columnType(column),
      primary: column.isPrimary,
      foreign: foreign.has(column.databaseName),
      unique: singleUnique.has(column.databaseName),
      nullable: column.isNullable,
    })),
  };
}

function relationsOf(metadata: EntityMetadata, local: ReadonlySet<string>, ownerOf: ForeignTableOwner): ErdRelation[] {
  const uniques = uniqueColumnSets(metadata);
  const primary = metadata.primaryColumns.map((column) => column.databaseName);
  return metadata.foreignKeys.map((key) => {
    const columns = key.columns.map((column) => column.databaseName);
    const target = key.referencedEntityMetadata;
    const oneToOne = sameSet(columns, primary) || uniques.some((set) => sameSet(set, columns));
    return {
      from: metadata.tableName,
      to: target.tableName,
      columns,
      referencedColumns: key.referencedColumns.map((column) => column.databaseName),
      cardinality: oneToOne ? "one-to-one" : "many-to-one",
      optional: key.columns.some((column) => column.isNullable),
      onDelete: key.onDelete ?? null,
      crossModule: local.has(target.tableName) ? null : (ownerOf(target) ?? "unknown"),
    } satisfies ErdRelation;
  });
}

/**
 * The ER model of `database` from the entity metadata of its tables (views left out), tables and
 * relations sorted by name so the output is stable and diffable.
 */
export function buildErdModel(database: string, metadatas: readonly EntityMetadata[], ownerOf: ForeignTableOwner = () => undefined): ErdModel {
  const tables = metadatas.filter((metadata) => metadata.tableType !== "view").sort((left, right) => left.tableName.localeCompare(right.tableName));
  const local = new Set(tables.map((metadata) => metadata.tableName));
  const relations = tables
    .flatMap((metadata) => relationsOf(metadata, local, ownerOf))
    .sort((left, right) => `${left.from}.${left.columns.join(",")}`.localeCompare(`${right.from}.${right.columns.join(",")}`));
  return { database, tables: tables.map(tableOf), relations };
}
