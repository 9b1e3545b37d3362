import { TableColumn } from "typeorm";
import type { QueryRunner } from "typeorm";
import { TableUtils } from "typeorm/schema-builder/util/TableUtils";
import type { ModuleDatabase } from "../database/module-database";
import { diffSchema } from "./schema-diff";
import { schemaChange, type SchemaChange } from "./schema-change";

/** What the schema step did to one database. */
export interface SchemaSyncReport {
  readonly database: string;
  /** Changes applied (all additive). */
  readonly applied: readonly SchemaChange[];
  /** Changes that need a migration; when non-empty nothing was applied and the database is refused. */
  readonly refused: readonly SchemaChange[];
  /** Undeclared tables left untouched because a module of this database failed discovery (see {@link SchemaSyncOptions}). */
  readonly kept: readonly SchemaChange[];
  /** Additive changes found but not applied because the caller asked only to check (`apply: false`). */
  readonly unapplied: readonly SchemaChange[];
}

/** How the schema step treats what it cannot explain. */
export interface SchemaSyncOptions {
  /**
   * True when a module that used this database failed discovery at this boot: tables no loaded
   * entity declares are then most likely that module's, so they are kept as they are instead of
   * refusing the whole database (and with it every healthy module sharing it).
   */
  readonly keepUndeclaredTables?: boolean;
  /** False to only check: additive changes are reported in `unapplied` and nothing is written (default true). */
  readonly apply?: boolean;
}

const INDEX_STATEMENT = /^(CREATE (UNIQUE )?INDEX|DROP INDEX)/;
/** PostgreSQL enum columns come with a type of their own, named `<table>_<column>_enum` by TypeORM. */
const TYPE_STATEMENT = /^CREATE TYPE (?:"[^"]+"\.)?"([^"]+)"/;
const TABLE_REFERENCE = /(?:CREATE TABLE|INSERT INTO|DROP TABLE|ALTER TABLE|FROM|RENAME TO)\s+"([^"]+)"/g;

/** The tables a statement of TypeORM's plan touches, with its rebuild prefix removed. */
function tablesTouched(sql: string): string[] {
  return [...sql.matchAll(TABLE_REFERENCE)].map((match) => (match[1] ?? "").replace(/^temporary_/, ""));
}

/**
 * True when a planned statement can only add: index work anywhere, or anything at all on a table
 * this same transaction creates (TypeORM rebuilds new SQLite tables to attach foreign keys).
 */
function isSafeStatement(sql: string, newTables: ReadonlySet<string>): boolean {
  if (INDEX_STATEMENT.test(sql)) return true;
  const type = TYPE_STATEMENT.exec(sql)?.[1];
  if (type !== undefined) return [...newTables].some((table) => type.startsWith(`${table}_`));
  const touched = tablesTouched(sql);
  return touched.length > 0 && touched.every((table) => newTables.has(table));
}

async function addColumns(database: ModuleDatabase, runner: QueryRunner, changes: readonly SchemaChange[]): Promise<void> {
  const buildColumnSql = (runner as unknown as { buildCreateColumnSql(column: TableColumn, skipPrimary: boolean): string }).buildCreateColumnSql.bind(runner);
  for (const change of changes) {
    if (change.kind !== "add_column" || change.name === undefined) continue;
    // Framework-owned tables (the audit trail) grow like the modules' tables, so all metadata is searched.
    const metadata = database.dataSource.entityMetadatas.find((candidate) => candidate.tableName === change.table)!;
    const column = metadata.columns.find((candidate) => candidate.databaseName === change.name)!;
    const tableColumn = new TableColumn(TableUtils.createTableColumnOptions(column, database.dataSource.driver));
    if (database.session.addColumn !== undefined) await database.session.addColumn(runner, change.table, tableColumn);
    else await runner.query(`ALTER TABLE "${change.table}" ADD COLUMN ${buildColumnSql(tableColumn, true)}`);
  }
}

/**
 * Brings a database's schema up to its entities when that is safe, and refuses otherwise.
 *
 * New tables, nullable or defaulted columns and indexes are applied in one transaction.
 * Anything that would drop or rewrite data (a dropped or renamed column or table, a changed type,
 * a new constraint that needs a table rebuild) is never applied: every such change is named in
 * `refused` and the database is left exactly as it was. TypeORM's own synchronize is used only for
 * creating tables and indexes, and its plan is checked statement by statement before it runs, so
 * its drop-and-recreate strategy can never reach existing data.
 */
export async function synchronizeSchema(database: ModuleDatabase, options: SchemaSyncOptions = {}): Promise<SchemaSyncReport> {
  const { dataSource } = database;
  return database.gate.run(async () => {
    const runner = dataSource.createQueryRunner();
    const classify = (found: readonly SchemaChange[]) => {
      const isKept = (change: SchemaChange) => options.keepUndeclaredTables === true && change.kind === "drop_table";
      const changes = found.filter((change) => !isKept(change));
      return { kept: found.filter(isKept), changes, refused: changes.filter((change) => !change.additive) };
    };
    // A first look without the write lock: most boots find nothing to do and never take it.
    const outside = classify(await diffSchema(dataSource, runner));
    if (outside.refused.length > 0) return { database: database.name, applied: [], refused: outside.refused, kept: outside.kept, unapplied: [] };
    if (outside.changes.length === 0) return { database: database.name, applied: [], refused: [], kept: outside.kept, unapplied: [] };
    if (options.apply === false) return { database: database.name, applied: [], refused: [], kept: outside.kept, unapplied: outside.changes };

    await runner.startTransaction();
    try {
      await database.session.lockSchema?.(runner);
      // Another process booting at the same moment may have changed the schema since the first
      // look; decide again under the write lock so its work is neither repeated nor fought.
      const { changes, refused, kept } = classify(await diffSchema(dataSource, runner));
      if (refused.length > 0 || changes.length === 0) {
        await runner.commitTransaction();
        return { database: database.name, applied: [], refused, kept, unapplied: [] };
      }
      const newTables = new Set(changes.filter((change) => change.kind === "add_table").map((change) => change.table));
      await addColumns(database, runner, changes);
      const plan = await dataSource.driver.createSchemaBuilder().log();
      const unexpected = plan.upQueries.filter((query) => !isSafeStatement(query.query, newTables));
      if (unexpected.length > 0) {
        await runner.rollbackTransaction();
        const tables = [...new Set(unexpected.flatMap((query) => tablesTouched(query.query)))];
        // A statement that names no table (a type, say) is refused all the same, never dropped silently.
        const untabled = unexpected.filter((query) => tablesTouched(query.query).length === 0);
        return {
          database: database.name,
          applied: [],
          refused: [
            ...tables.map((table) => schemaChange("change_constraint", table, `Table '${table}' would have to be rebuilt to match its entity; write a migration.`)),
            ...untabled.map((query) => schemaChange("change_constraint", "", `The schema would need '${query.query.slice(0, 80)}'; write a migration.`)),
          ],
          kept,
          unapplied: [],
        };
      }
      for (const query of plan.upQueries) await runner.query(query.query, query.parameters as unknown[]);
      await runner.commitTransaction();
      return { database: database.name, applied: changes, refused: [], kept, unapplied: [] };
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      throw error;
    }
  });
}
