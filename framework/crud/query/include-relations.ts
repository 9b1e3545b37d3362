import { err, ok, Result } from "neverthrow";
import type { EntityManager, EntityMetadata } from "typeorm";
import type { ColumnMetadata } from "typeorm/metadata/ColumnMetadata";
import type { RelationMetadata } from "typeorm/metadata/RelationMetadata";
import type { DataSource } from "typeorm";
import { dbError, type DbError } from "../../errors/db-error";
import { tableColumns } from "../column-lookup";
import type { CrudRecord } from "../crud-types";
import { hydrateRecord } from "../record-values";
import { quoteIdentifier } from "../sql-identifier";
import { ParameterBag, runQuery, whereClause } from "./sql-fragment";
import { liveRowsCondition, selectedColumns } from "./table-target";

/** Related rows per parent a to-many include returns; beyond it the list is cut and flagged. */
export const MAX_INCLUDED_PER_PARENT = 100;
/** Levels an include path may have (`author.books` is two). */
export const MAX_INCLUDE_DEPTH = 2;
/** Key of the flag object on a record whose to-many lists were cut: `{ books: true }`. */
export const TRUNCATED_KEY = "_truncated";

/** One relation to load and, below it, the relations to load on its records. */
export interface IncludeTree {
  readonly relation: RelationMetadata;
  readonly children: readonly IncludeTree[];
}

/** How a relation's rows are matched to parents: parent column ↔ related column, or through a junction table. */
interface Link {
  readonly parentColumn: ColumnMetadata;
  readonly relatedColumn: ColumnMetadata;
  readonly many: boolean;
  /** ManyToMany: the junction table, its column naming the parent, and its column naming the related row. */
  readonly junction?: { readonly table: string; readonly parentKey: ColumnMetadata; readonly relatedKey: ColumnMetadata };
}

function linkOf(relation: RelationMetadata): Link | undefined {
  if (relation.isManyToMany) {
    // The owning side holds the junction: its joinColumns name its own rows, inverseJoinColumns the other side's.
    const owner = relation.isOwning ? relation : relation.inverseRelation;
    const junction = owner?.junctionEntityMetadata;
    const sides = owner === undefined ? [[], []] : relation.isOwning ? [owner.joinColumns, owner.inverseJoinColumns] : [owner.inverseJoinColumns, owner.joinColumns];
    const [parentKey, relatedKey] = sides.map((columns) => (columns.length === 1 ? columns[0] : undefined));
    if (junction === undefined || parentKey?.referencedColumn === undefined || relatedKey?.referencedColumn === undefined) return undefined;
    return { parentColumn: parentKey.referencedColumn, relatedColumn: relatedKey.referencedColumn, many: true, junction: { table: junction.tableName, parentKey, relatedKey } };
  }
  if ((relation.isManyToOne || relation.isOneToOneOwner) && relation.joinColumns.length === 1) {
    const join = relation.joinColumns[0] as ColumnMetadata;
    return join.referencedColumn === undefined ? undefined : { parentColumn: join, relatedColumn: join.referencedColumn, many: false };
  }
  const inverse = relation.inverseRelation;
  if ((relation.isOneToMany || relation.isOneToOneNotOwner) && inverse !== undefined && inverse.joinColumns.length === 1) {
    const join = inverse.joinColumns[0] as ColumnMetadata;
    return join.referencedColumn === undefined ? undefined : { parentColumn: join.referencedColumn, relatedColumn: join, many: relation.isOneToMany };
  }
  return undefined;
}

/**
 * Resolves include paths (`author`, `author.books`) against entity metadata: every segment must
 * be a relation property with one join column (ManyToOne, OneToOne, OneToMany, ManyToMany), at most
 * {@link MAX_INCLUDE_DEPTH} levels; anything else is VALIDATION_FAILED naming the relations that exist.
 */
export function resolveIncludes(metadata: EntityMetadata, include: readonly string[] | undefined, database: string): Result<IncludeTree[], DbError> {
  if (include === undefined) return ok([]);
  if (!Array.isArray(include) || include.length > 20 || !include.every((path) => typeof path === "string")) {
    return err(dbError("VALIDATION_FAILED", "include takes up to 20 relation names.", database, { table_name: metadata.tableName }));
  }
  const roots: { relation: RelationMetadata; children: IncludeTree[] }[] = [];
  for (const path of include) {
    const segments = path.split(".");
    if (segments.length > MAX_INCLUDE_DEPTH) return err(dbError("VALIDATION_FAILED", `include '${path}' is deeper than ${MAX_INCLUDE_DEPTH} levels.`, database, { include: path, max_depth: MAX_INCLUDE_DEPTH }));
    let level = roots;
    let owner = metadata;
    for (const segment of segments) {
      const relation = owner.relations.find((candidate) => candidate.propertyName === segment);
      if (relation === undefined || linkOf(relation) === undefined) {
        return err(
          dbError("VALIDATION_FAILED", `'${segment}' is not an includable relation of '${owner.tableName}'.`, database, {
            table_name: owner.tableName,
            include: path,
            reason: "not_a_relation",
            available_relations: owner.relations.filter((candidate) => linkOf(candidate) !== undefined).map((candidate) => candidate.propertyName),
          }),
        );
      }
      let node = level.find((candidate) => candidate.relation === relation);
      if (node === undefined) {
        node = { relation, children: [] };
        level.push(node);
      }
      level = node.children as { relation: RelationMetadata; children: IncludeTree[] }[];
      owner = relation.inverseEntityMetadata;
    }
  }
  return ok(roots);
}

/**
 * The columns a read returns for `fields` (all when absent, the primary key always) plus the join
 * columns its includes match on, in table order, with the resolved includes.
 */
export function readSelection(metadata: EntityMetadata, fields: readonly string[] | undefined, include: readonly string[] | undefined, database: string): Result<{ columns: ColumnMetadata[]; includes: IncludeTree[] }, DbError> {
  return selectedColumns(metadata, fields, database).andThen((selected) =>
    resolveIncludes(metadata, include, database).map((includes) => {
      const wanted = new Set([...selected, ...columnsNeededFor(includes)]);
      return { columns: metadata.columns.filter((column) => wanted.has(column)), includes };
    }),
  );
}

/** The columns a parent needs for its includes to be matched (join columns, referenced keys). */
export function columnsNeededFor(includes: readonly IncludeTree[]): ColumnMetadata[] {
  return includes.map((tree) => (linkOf(tree.relation) as Link).parentColumn);
}

/**
 * Loads the included relations onto `records` (of `metadata`'s table): one query per relation
 * and level, never one per record. To-one relations become a nested record or null, to-many an
 * array of at most {@link MAX_INCLUDED_PER_PARENT} records (cut lists flagged under {@link TRUNCATED_KEY}).
 */
export async function loadIncludes(manager: EntityManager, dataSource: DataSource, records: CrudRecord[], includes: readonly IncludeTree[]): Promise<void> {
  for (const tree of includes) {
    const link = linkOf(tree.relation) as Link;
    const target = tree.relation.inverseEntityMetadata;
    const name = tree.relation.propertyName;
    const keys = [...new Set(records.map((record) => record[link.parentColumn.databaseName]).filter((value) => value !== null && value !== undefined))];
    let related: CrudRecord[] = [];
    let parents: unknown[] = [];
    if (keys.length > 0) {
      const bag = new ParameterBag();
      const inList = keys.map((key) => bag.bind(dataSource.driver.preparePersistentValue(key, link.parentColumn))).join(", ");
      const order = target.primaryColumns.map((column) => `t.${quoteIdentifier(column.databaseName)}`).join(", ");
      const columns = tableColumns(target);
      const selectList = columns.map((column) => `t.${quoteIdentifier(column.databaseName)}`).join(", ");
      const live = liveRowsCondition(target, false, "t");
      // The parent key each related row belongs to: its own column, or the junction's.
      const parentKey = link.junction === undefined ? `t.${quoteIdentifier(link.relatedColumn.databaseName)}` : `j.${quoteIdentifier(link.junction.parentKey.databaseName)}`;
      const from =
        link.junction === undefined
          ? `${quoteIdentifier(target.tableName)} t`
          : `${quoteIdentifier(link.junction.table)} j JOIN ${quoteIdentifier(target.tableName)} t ON t.${quoteIdentifier(link.relatedColumn.databaseName)} = j.${quoteIdentifier(link.junction.relatedKey.databaseName)}`;
      const where = whereClause([`${parentKey} IN (${inList})`, live]);
      // A window per parent keeps one row more than the cap, which tells a cut list from a full one.
      const sql = link.many
        ? `SELECT * FROM (SELECT ${selectList}, ${parentKey} AS include_parent, ROW_NUMBER() OVER (PARTITION BY ${parentKey} ORDER BY ${order}) AS include_rank FROM ${from}${where}) ranked WHERE include_rank <= ${MAX_INCLUDED_PER_PARENT + 1} ORDER BY include_parent, include_rank`
        : `SELECT ${selectList}, ${parentKey} AS include_parent FROM ${from}${where}`;
      const rows = await runQuery<Record<string, unknown>>(manager, sql, bag.values);
      related = rows.map((row) => hydrateRecord(dataSource, target, row, columns));
      parents = rows.map((row) => dataSource.driver.prepareHydratedValue(row.include_parent, link.parentColumn) as unknown);
      await loadIncludes(manager, dataSource, related, tree.children);
    }
    const byKey = new Map<unknown, CrudRecord[]>();
    related.forEach((record, index) => {
      const key = parents[index];
      byKey.set(key, [...(byKey.get(key) ?? []), record]);
    });
    for (const record of records) {
      const matches = byKey.get(record[link.parentColumn.databaseName]) ?? [];
      if (!link.many) {
        record[name] = matches[0] ?? null;
        continue;
      }
      record[name] = matches.slice(0, MAX_INCLUDED_PER_PARENT);
      if (matches.length > MAX_INCLUDED_PER_PARENT) record[TRUNCATED_KEY] = { ...((record[TRUNCATED_KEY] as Record<string, boolean> | undefined) ?? {}), [name]: true };
    }
  }
}
