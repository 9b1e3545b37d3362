import type { DataSource, QueryRunner } from "typeorm";
import type { ModuleDatabase } from "../database/module-database";
import { quoteIdentifier } from "../crud/sql-identifier";
import { dialectOf, type TableDefinition } from "../engines/sql-dialect";
import type { SchemaChange } from "../schema/schema-change";
import { isFrameworkOwnedTable } from "../access/table-access";
import { diffSchema, moduleChanges } from "../schema/schema-diff";
import { detectRenames, type ColumnRename } from "./detect-renames";
import { enterMigrationMode, leaveMigrationMode } from "./migration-transaction";
import { schemaBuilderPlan } from "./schema-builder-plan";

/** One statement of a generated migration. */
export interface PlannedStatement {
  readonly sql: string;
  readonly parameters?: readonly unknown[];
}

/** What a generated migration will do, and what its author should review. */
export interface MigrationPlan {
  readonly database: string;
  /** The differences found between the entities and the database. */
  readonly changes: readonly SchemaChange[];
  readonly up: readonly PlannedStatement[];
  readonly down: readonly PlannedStatement[];
  /** Column renames the plan assumed. */
  readonly renames: readonly ColumnRename[];
  /** Tables the plan drops (their rows are kept in an archive table so revert can restore them). */
  readonly droppedTables: readonly string[];
  /** Things to review, one sentence each. */
  readonly notes: readonly string[];
}

/** The archive table a dropped table's rows move to. */
export function archiveTableName(table: string, stamp: number): string {
  return `moduledb_dropped_${table}_${stamp}`;
}

const QUOTED_IDENTIFIER = /"([^"]+)"/g;

/** The names of the framework-owned tables of a DataSource and of their indexes and constraints. */
function frameworkObjectNames(dataSource: DataSource): Set<string> {
  const owned = dataSource.entityMetadatas.filter((metadata) => isFrameworkOwnedTable(metadata.tableName));
  return new Set(owned.flatMap((metadata) => [metadata.tableName, ...[...metadata.indices, ...metadata.uniques, ...metadata.foreignKeys, ...metadata.checks].map((item) => item.name ?? "")]).filter((name) => name !== ""));
}

/**
 * True for a statement of TypeORM's plan that concerns a framework-owned table (creating the
 * audit table or its indexes in a database that lacks it, or dropping them again in `down`):
 * never part of a module's migration, since the boot's additive step brings those tables up to
 * date in every database.
 */
function touchesFrameworkTable(sql: string, names: ReadonlySet<string>): boolean {
  return [...sql.matchAll(QUOTED_IDENTIFIER)].some((match) => names.has((match[1] ?? "").replace(/^temporary_/, "")));
}

async function tableSql(runner: QueryRunner, table: string): Promise<TableDefinition> {
  return (await dialectOf(runner.connection).catalog.tableDefinition(runner, table)) ?? { create: [], indexes: [], columns: [] };
}

/**
 * Works out a migration that brings a database's schema to its entities.
 *
 * Runs entirely inside a transaction that is always rolled back, so the database is never
 * changed: likely column renames are applied first (`ALTER TABLE … RENAME COLUMN`, which keeps the
 * data), then tables no entity declares are moved to an archive table, and only then is TypeORM's
 * schema builder asked for the rest (new columns, indexes, type and constraint changes — as SQLite
 * table rebuilds that copy every surviving column, one per table and direction). `down` undoes all
 * of it in reverse order.
 */
export async function planMigration(database: ModuleDatabase, stamp: number): Promise<MigrationPlan> {
  const { dataSource } = database;
  return database.gate.run(async () => {
    const runner = dataSource.createQueryRunner();
    const changes = moduleChanges(await diffSchema(dataSource, runner));
    const empty: MigrationPlan = { database: database.name, changes, up: [], down: [], renames: [], droppedTables: [], notes: [] };
    if (changes.length === 0) return empty;

    const up: PlannedStatement[] = [];
    const undoGroups: PlannedStatement[][] = [];
    const notes: string[] = [];
    const renames: ColumnRename[] = [];
    const droppedTables: string[] = [];
    const apply = async (sql: string): Promise<void> => {
      up.push({ sql });
      await runner.query(sql);
    };

    await enterMigrationMode(runner);
    try {
      await runner.startTransaction();
      try {
        const tables = new Map((await runner.getTables()).map((table) => [table.name, table]));
        for (const metadata of database.tableMetadatas()) {
          const table = tables.get(metadata.tableName);
          if (table === undefined) continue;
          for (const rename of detectRenames(table, metadata, dataSource.driver)) {
            renames.push(rename);
            const tableName = quoteIdentifier(rename.table);
            await apply(`ALTER TABLE ${tableName} RENAME COLUMN ${quoteIdentifier(rename.from)} TO ${quoteIdentifier(rename.to)}`);
            undoGroups.push([{ sql: `ALTER TABLE ${tableName} RENAME COLUMN ${quoteIdentifier(rename.to)} TO ${quoteIdentifier(rename.from)}` }]);
            notes.push(
              rename.ambiguous
                ? `AMBIGUOUS: assumed column '${rename.table}.${rename.from}' was renamed to '${rename.to}' (candidates: ${rename.candidates.join(", ")}); check the RENAME COLUMN statements before running.`
                : `Assumed column '${rename.table}.${rename.from}' was renamed to '${rename.to}' (same type); its data is kept. If it was really dropped, edit the migration.`,
            );
          }
        }
        for (const change of changes.filter((candidate) => candidate.kind === "drop_table")) {
          const original = await tableSql(runner, change.table);
          const archive = quoteIdentifier(archiveTableName(change.table, stamp));
          const table = quoteIdentifier(change.table);
          const columns = original.columns.map(quoteIdentifier).join(", ");
          await apply(`CREATE TABLE ${archive} AS SELECT * FROM ${table}`);
          await apply(`DROP TABLE ${table}`);
          undoGroups.push([...original.create.map((sql) => ({ sql })), { sql: `INSERT INTO ${table} (${columns}) SELECT ${columns} FROM ${archive}` }, ...original.indexes.map((sql) => ({ sql })), { sql: `DROP TABLE ${archive}` }]);
          droppedTables.push(change.table);
          notes.push(`Table '${change.table}' is dropped; its rows move to '${archiveTableName(change.table, stamp)}' so that reverting restores them. Drop that archive once the change is final.`);
        }
        for (const change of changes.filter((candidate) => candidate.kind === "drop_column" && !renames.some((rename) => rename.table === candidate.table && rename.from === candidate.name))) {
          notes.push(`Column '${change.table}.${change.name ?? ""}' is dropped with its data; reverting brings the column back empty.`);
        }
        const log = await schemaBuilderPlan(dataSource);
        const frameworkNames = frameworkObjectNames(dataSource);
        log.upQueries = log.upQueries.filter((query) => !touchesFrameworkTable(query.query, frameworkNames));
        log.downQueries = log.downQueries.filter((query) => !touchesFrameworkTable(query.query, frameworkNames));
        up.push(...log.upQueries.map((query) => ({ sql: query.query, ...(query.parameters === undefined || query.parameters.length === 0 ? {} : { parameters: query.parameters as unknown[] }) })));
        // TypeORM lists down queries in the order they were produced; they must run in reverse.
        const builderDown = [...log.downQueries].reverse().map((query) => ({ sql: query.query, ...(query.parameters === undefined || query.parameters.length === 0 ? {} : { parameters: query.parameters as unknown[] }) }));
        const down = [...builderDown, ...[...undoGroups].reverse().flat()];
        return { database: database.name, changes, up, down, renames, droppedTables, notes };
      } finally {
        if (runner.isTransactionActive) await runner.rollbackTransaction();
      }
    } finally {
      await leaveMigrationMode(runner);
    }
  });
}
