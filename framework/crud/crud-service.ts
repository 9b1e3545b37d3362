import { err, errAsync, ok, okAsync, Result, ResultAsync } from "neverthrow";
import { inject, injectable } from "tsyringe";
import type { EntityManager } from "typeorm";
import type { FrameworkSettings } from "../config/settings";
import { FRAMEWORK_SETTINGS } from "../container/tokens";
import { DatabaseRegistry } from "../database/database-registry";
import { dbError, type DbError } from "../errors/db-error";
import { auditContext } from "../audit/audit-actor";
import { auditedTransaction, type AuditTrail } from "../audit/audit-trail";
import type { CreateManyResult, CrudRecord, FilterNode, GetOptions, ListQuery, Page } from "./crud-types";
import { assignValues, validateValues, withForeignKeyColumns, type ColumnValues } from "./record-values";
import { dialectOf } from "../engines/sql-dialect";
import { budgetRefusal, rowSizeExpression } from "./row-sizes";
import { quoteIdentifier } from "./sql-identifier";
import { compileFilters } from "./query/filter-tree";
import { planAggregate, runAggregate, type AggregateQuery, type AggregateRow } from "./query/aggregate";
import { bulkSelection, matchedKeys, type BulkResult } from "./query/bulk-write";
import { CursorCodec } from "./query/cursor-codec";
import { loadIncludes, readSelection } from "./query/include-relations";
import { planList } from "./query/list-plan";
import { TypedTable, type EntityClass } from "./typed/typed-table";
import { DirectCrud, type WritableTarget } from "./compiled/direct-crud";
import { directAudit } from "../audit/direct-audit";
import { keyOrThrow, readRow, type RowOptions } from "./record-rows";
import { recordNotFound } from "./compiled/direct-run";
import { importInto, type ImportOptions, type ImportReport } from "./transfer/import-records";
import { readPage } from "./query/list-records";
import { keyCondition } from "./query/record-key";
import { ParameterBag, runQuery, whereClause } from "./query/sql-fragment";
import { liveRowsCondition, selectedColumns, softDeleteColumn, type TableTarget } from "./query/table-target";

/** Rows per INSERT statement in `createMany`, bounded by SQLite's limit on bound parameters. */
function chunkSize(columnCount: number): number {
  return Math.max(1, Math.min(500, Math.floor(30_000 / Math.max(1, columnCount))));
}


/**
 * Create, read, update and delete on any table of any discovered database, addressed by
 * database and table name. Every method returns a ResultAsync and never throws; values reach SQL
 * only as bound parameters and identifiers only after they match entity metadata. Writes run in
 * the database's serialised transactions, so they never mix with another caller's work, and
 * every write appends its audit rows (`moduledb_audit`) in the same transaction.
 */
@injectable()
export class CrudService {
  /** Signs the keyset cursors this instance hands out (see {@link CursorCodec}). */
  private readonly cursors: CursorCodec;
  /** The hot paths on compiled tables, where the engine has direct statements. */
  private readonly direct: DirectCrud;
  /** The actor this view's writes are audited as (`service:<Class>`); unset: the request's or command's. */
  private boundActor: string | undefined;

  constructor(
    @inject(DatabaseRegistry) private readonly registry: DatabaseRegistry,
    @inject(FRAMEWORK_SETTINGS) settings: FrameworkSettings,
  ) {
    this.cursors = new CursorCodec(settings.cursorSecret);
    this.direct = new DirectCrud(registry);
  }

  /**
   * This service as `actor`: the same databases, cursors and behaviour, its writes audited as
   * `actor`. The container hands every module service a view bound to `service:<ClassName>`.
   */
  as(actor: string): CrudService {
    const view = Object.create(this) as CrudService;
    view.boundActor = actor;
    return view;
  }

  /** The actor this service's writes are audited as right now (see `audit/audit-actor`). */
  get actor(): string {
    return auditContext(this.boundActor).actor;
  }

  /** Inserts one record and returns it as stored (defaults and generated keys filled in). */
  create(database: string, table: string, values: Record<string, unknown>): ResultAsync<CrudRecord, DbError> {
    const compiled = this.compiledWrite(database, table, (target) => this.direct.create(target, values, this.audited(target)));
    if (compiled !== undefined) return compiled;
    return this.resolve(database, table)
      .andThen((target) => validateValues(target.metadata, values, "create", database).map((columns) => ({ target, columns })))
      .asyncAndThen(({ target, columns }) =>
        this.write(target, async (manager, trail) => {
          const entity = assignValues(target.metadata.create() as Record<string, unknown>, columns);
          await manager.createQueryBuilder().insert().into(target.metadata.target).values(entity).execute();
          const id = Object.fromEntries(target.metadata.primaryColumns.map((column) => [column.databaseName, column.getEntityValue(entity)]));
          trail.note("create", id, columns);
          return readRow(manager, target, id);
        }).mapErr((error) => withForeignKeyColumns(error, target.metadata, columns)),
      )
      .andThen((record) => (record === undefined ? errAsync(dbError("RECORD_NOT_FOUND", "The created record could not be read back.", database)) : okAsync(record)));
  }

  /** Inserts many records in one transaction, in chunks; all or nothing. */
  createMany(database: string, table: string, rows: readonly Record<string, unknown>[]): ResultAsync<CreateManyResult, DbError> {
    const compiled = Array.isArray(rows) ? this.compiledWrite(database, table, (target) => this.direct.createMany(target, rows, this.audited(target))) : undefined;
    if (compiled !== undefined) return compiled;
    return this.resolve(database, table)
      .andThen((target) => {
        if (!Array.isArray(rows)) return err(dbError("VALIDATION_FAILED", "createMany takes an array of records.", database));
        return Result.combine(
          rows.map((row, index) => validateValues(target.metadata, row, "create", database).mapErr((error) => ({ ...error, details: { ...error.details, row: index } }))),
        ).map((validated) => ({ target, validated }));
      })
      .asyncAndThen(({ target, validated }) => {
        if (validated.length === 0) return okAsync({ inserted: 0 });
        const size = chunkSize(target.metadata.columns.length);
        return this.write(target, async (manager, trail) => {
          for (let start = 0; start < validated.length; start += size) {
            const changes = validated.slice(start, start + size);
            const entities = changes.map((columns) => assignValues(target.metadata.create() as Record<string, unknown>, columns));
            await trail.insert(manager, "create", entities, changes);
          }
          return { inserted: validated.length };
        });
      });
  }

  /** One record by primary key (a value, or an object for composite keys; text ids must be canonical). */
  get(database: string, table: string, id: unknown, options: GetOptions = {}): ResultAsync<CrudRecord, DbError> {
    const resolved = this.resolve(database, table);
    if (resolved.isErr()) return errAsync(resolved.error);
    if (options.fields === undefined && options.include === undefined && options.maxBytes === undefined) {
      const compiled = this.direct.compile(resolved.value);
      if (compiled !== undefined) return this.direct.get(compiled, id, options.withDeleted === true);
    }
    return ok<TableTarget, DbError>(resolved.value)
      .andThen((target) => readSelection(target.metadata, options.fields, options.include, database).map((selection) => ({ target, ...selection })))
      .asyncAndThen(({ target, columns, includes }) =>
        target.db
          .snapshot(async (manager) => {
            if (options.maxBytes !== undefined) {
              const bag = new ParameterBag();
              const where = whereClause([keyOrThrow(target, id, bag), liveRowsCondition(target.metadata, options.withDeleted)]);
              const sizes = await runQuery<{ bytes: number }>(manager, `SELECT ${rowSizeExpression(dialectOf(target.db.dataSource), target.metadata, columns)} AS bytes FROM ${quoteIdentifier(target.metadata.tableName)}${where}`, bag.values);
              const refusal = budgetRefusal(target.metadata, target.db.name, sizes.map((row) => Number(row.bytes)), options.maxBytes, "record");
              if (refusal !== undefined) throw refusal;
            }
            const record = await readRow(manager, target, id, { columns, withDeleted: options.withDeleted });
            if (record !== undefined) await loadIncludes(manager, target.db.dataSource, [record], includes);
            return record;
          })
          .andThen((record) => this.found(record, target, id)),
      );
  }

  /** One page of records, filtered, sorted and paged by offset or cursor, with the total count unless `count: "none"`. */
  list(database: string, table: string, query: ListQuery = {}): ResultAsync<Page, DbError> {
    return this.resolve(database, table)
      .andThen((target) => planList(target, query ?? {}, this.cursors))
      .asyncAndThen((plan) =>
        plan.target.db.snapshot(async (manager) => {
          const page = await readPage(manager, plan, this.cursors, query?.maxBytes);
          await loadIncludes(manager, plan.target.db.dataSource, page.records, plan.includes);
          return page;
        }),
      );
  }

  /** Changes some columns of one record and returns it as stored. */
  update(database: string, table: string, id: unknown, patch: Record<string, unknown>): ResultAsync<CrudRecord, DbError> {
    const compiled = this.compiledWrite(database, table, (target) => this.direct.update(target, id, patch, this.audited(target)));
    if (compiled !== undefined) return compiled;
    return this.resolve(database, table)
      .andThen((target) => validateValues(target.metadata, patch, "update", database).map((columns) => ({ target, columns })))
      .asyncAndThen(({ target, columns }) =>
        this.withExisting(target, id, { withDeleted: false }, async (manager, criteria, existing, trail) => {
          await manager.update(target.metadata.target, criteria, assignValues({} as Record<string, unknown>, columns as ColumnValues));
          trail.note("update", this.keyOf(target, existing), columns);
          return readRow(manager, target, id);
        }).mapErr((error) => withForeignKeyColumns(error, target.metadata, columns)),
      );
  }

  /**
   * Deletes one record. On a table with a `@DeleteDateColumn` this is a soft delete: the column
   * is set, the row stays and is hidden from reads (see {@link restore}, {@link hardDelete}), and
   * the record comes back as it now is; otherwise the row is removed and comes back as it was.
   */
  delete(database: string, table: string, id: unknown): ResultAsync<CrudRecord, DbError> {
    const compiled = this.compiledWrite(database, table, (target) => (softDeleteColumn(target.metadata) === undefined ? this.direct.delete(target, id, this.audited(target)) : undefined));
    if (compiled !== undefined) return compiled;
    return this.resolve(database, table).asyncAndThen((target) =>
      this.withExisting(target, id, { withDeleted: false }, async (manager, criteria, existing, trail) => {
        const deleteColumn = softDeleteColumn(target.metadata);
        trail.note("delete", this.keyOf(target, existing), deleteColumn === undefined ? [] : [deleteColumn.databaseName]);
        if (deleteColumn === undefined) {
          await manager.delete(target.metadata.target, criteria);
          return existing;
        }
        await manager.createQueryBuilder().softDelete().from(target.metadata.target).where(criteria).execute();
        return readRow(manager, target, id, { withDeleted: true });
      }),
    );
  }

  /** Removes one record for good, soft-deleted or not, and returns it as it was. */
  hardDelete(database: string, table: string, id: unknown): ResultAsync<CrudRecord, DbError> {
    return this.resolve(database, table).asyncAndThen((target) =>
      this.withExisting(target, id, { withDeleted: true }, async (manager, criteria, existing, trail) => {
        await manager.delete(target.metadata.target, criteria);
        trail.note("hard-delete", this.keyOf(target, existing));
        return existing;
      }),
    );
  }

  /** Brings back a soft-deleted record (a no-op for a live one); VALIDATION_FAILED on tables without a `@DeleteDateColumn`. */
  restore(database: string, table: string, id: unknown): ResultAsync<CrudRecord, DbError> {
    return this.resolve(database, table)
      .andThen((target) =>
        softDeleteColumn(target.metadata) === undefined
          ? err(dbError("VALIDATION_FAILED", `Table '${table}' has no soft-delete column, so nothing in it can be restored.`, database, { table_name: table, reason: "not_soft_delete" }))
          : ok(target),
      )
      .asyncAndThen((target) =>
        this.withExisting(target, id, { withDeleted: true }, async (manager, criteria, existing, trail) => {
          const deleteColumn = softDeleteColumn(target.metadata) as NonNullable<ReturnType<typeof softDeleteColumn>>;
          // Restoring a live record changes nothing, so it leaves no audit row.
          if (existing[deleteColumn.databaseName] === null || existing[deleteColumn.databaseName] === undefined) return existing;
          await manager.createQueryBuilder().restore().from(target.metadata.target).where(criteria).execute();
          trail.note("restore", this.keyOf(target, existing), [deleteColumn.databaseName]);
          return readRow(manager, target, id, { withDeleted: true });
        }),
      );
  }

  /**
   * Changes `patch`'s columns on every live row matching `filters`, in one transaction. An empty
   * filter is refused, and so is a match of more than {@link MAX_BULK_ROWS} rows (nothing written).
   */
  updateMany(database: string, table: string, filters: readonly FilterNode[], patch: Record<string, unknown>): ResultAsync<BulkResult, DbError> {
    return this.resolve(database, table)
      .andThen((target) => bulkSelection(target, filters, "updateMany").andThen((selection) => validateValues(target.metadata, patch, "update", database).map((columns) => ({ target, selection, columns }))))
      .asyncAndThen(({ target, selection, columns }) =>
        this.write(target, async (manager, trail) => {
          const keys = await matchedKeys(manager, target, selection, "updateMany");
          if (keys.length > 0) {
            const values = assignValues({} as Record<string, unknown>, columns as ColumnValues);
            await manager.createQueryBuilder().update(target.metadata.target).set(values).where(selection.condition, selection.parameters).execute();
            trail.noteAll("update", keys, columns);
          }
          return { affected: keys.length };
        }),
      );
  }

  /** Deletes (soft-deletes, on tables with a `@DeleteDateColumn`) every live row matching `filters`; refused like {@link updateMany}. */
  deleteMany(database: string, table: string, filters: readonly FilterNode[]): ResultAsync<BulkResult, DbError> {
    return this.resolve(database, table)
      .andThen((target) => bulkSelection(target, filters, "deleteMany").map((selection) => ({ target, selection })))
      .asyncAndThen(({ target, selection }) =>
        this.write(target, async (manager, trail) => {
          const keys = await matchedKeys(manager, target, selection, "deleteMany");
          if (keys.length > 0) {
            const builder = manager.createQueryBuilder();
            const deleteColumn = softDeleteColumn(target.metadata);
            const query = deleteColumn === undefined ? builder.delete().from(target.metadata.target) : builder.softDelete().from(target.metadata.target);
            await query.where(selection.condition, selection.parameters).execute();
            trail.noteAll("delete", keys, deleteColumn === undefined ? [] : [deleteColumn.databaseName]);
          }
          return { affected: keys.length };
        }),
      );
  }

  /** Counts, sums, averages, minimums and maximums, per group; see {@link AggregateQuery}. */
  aggregate(database: string, table: string, query: AggregateQuery = {}): ResultAsync<AggregateRow[], DbError> {
    return this.resolve(database, table)
      .andThen((target) => planAggregate(target, query ?? {}).map((plan) => ({ target, plan })))
      .asyncAndThen(({ target, plan }) => target.db.snapshot((manager) => runAggregate(manager, target, plan)));
  }

  /** Inserts streamed records (see {@link importInto}): validated like `createMany`, all or nothing unless `batchSize`. */
  importRecords(database: string, table: string, records: AsyncIterable<Record<string, unknown>>, options: ImportOptions = {}): ResultAsync<ImportReport, DbError> {
    const audit = auditContext(this.boundActor);
    return this.resolve(database, table).asyncAndThen((target) => importInto(target, records, options, audit));
  }

  /** The column names a query with these `fields` returns (all columns when absent), for export headers. */
  columnsOf(database: string, table: string, fields?: readonly string[]): Result<string[], DbError> {
    return this.resolve(database, table).andThen((target) => selectedColumns(target.metadata, fields, database).map((columns) => columns.map((column) => column.databaseName)));
  }

  /** A typed view of one entity's table: `crud.table(Book).list({ sort: [{ column: "title", … }] })`, names checked by the compiler. */
  table<T>(entity: EntityClass<T>): TypedTable<T> {
    return new TypedTable(this, this.registry, entity);
  }

  /** How many records match the filters (live ones only on soft-delete tables, unless `withDeleted`). */
  count(database: string, table: string, filters?: readonly FilterNode[], options: { readonly withDeleted?: boolean } = {}): ResultAsync<number, DbError> {
    const bag = new ParameterBag();
    return this.resolve(database, table)
      .andThen((target) =>
        compileFilters(target.db.dataSource, target.metadata, filters, database, bag).map((condition) => ({ target, where: whereClause([condition, liveRowsCondition(target.metadata, options.withDeleted)]) })),
      )
      .asyncAndThen(({ target, where }) =>
        target.db.snapshot(async (manager) => {
          const [row] = await runQuery<{ total: number }>(manager, `SELECT COUNT(*) AS total FROM ${quoteIdentifier(target.metadata.tableName)}${where}`, bag.values);
          return Number(row?.total ?? 0);
        }),
      );
  }

  /** The compiled write `work` makes on `table`, or undefined when the DataSource path must make it. */
  private compiledWrite<T>(database: string, table: string, work: (target: WritableTarget) => ResultAsync<T, DbError> | undefined): ResultAsync<T, DbError> | undefined {
    const resolved = this.resolve(database, table);
    if (resolved.isErr()) return errAsync(resolved.error);
    const target = this.direct.compileWrites(resolved.value);
    return target === undefined ? undefined : work(target);
  }

  /** The audit row of a compiled write, appended inside its transaction (the actor read now, as `write` does). */
  private audited(target: WritableTarget) {
    return directAudit(target.metadata, (index) => target.table.direct.placeholder(index), auditContext(this.boundActor));
  }

  private resolve(database: string, table: string): Result<TableTarget, DbError> {
    return this.registry.get(database).andThen((db) => db.table(table).map((metadata) => ({ db, metadata })));
  }

  private found(record: CrudRecord | undefined, target: TableTarget, id: unknown): ResultAsync<CrudRecord, DbError> {
    return record !== undefined ? okAsync(record) : errAsync(recordNotFound(target.metadata.tableName, target.db.name, id));
  }



  /** Runs `work` in a transaction once the record exists (soft-deleted ones only `withDeleted`); RECORD_NOT_FOUND otherwise, with nothing written. */
  private withExisting(
    target: TableTarget,
    id: unknown,
    options: RowOptions,
    work: (manager: EntityManager, criteria: Record<string, unknown>, existing: CrudRecord, trail: AuditTrail) => Promise<CrudRecord | undefined>,
  ): ResultAsync<CrudRecord, DbError> {
    const check = keyCondition(target.metadata, id, target.db.dataSource, target.db.name, new ParameterBag());
    if (check.isErr()) return errAsync(check.error);
    return this.write(target, async (manager, trail) => {
      const existing = await readRow(manager, target, id, options);
      if (existing === undefined) return undefined;
      const criteria = Object.fromEntries(target.metadata.primaryColumns.map((column) => [column.propertyPath, existing[column.databaseName]]));
      return work(manager, criteria, existing, trail);
    }).andThen((record) => this.found(record, target, id));
  }

  /**
   * Every write of this service: one transaction whose audit rows are appended, with the same
   * manager, before COMMIT (see `audit/audit-trail`). The actor is read now, while the caller's
   * request or command context is current.
   */
  private write<T>(target: TableTarget, work: (manager: EntityManager, trail: AuditTrail) => Promise<T>): ResultAsync<T, DbError> {
    return auditedTransaction(target.db, target.metadata, auditContext(this.boundActor), work);
  }

  /** The primary key of a record as read (database column → value). */
  private keyOf(target: TableTarget, record: CrudRecord): Record<string, unknown> {
    return Object.fromEntries(target.metadata.primaryColumns.map((column) => [column.databaseName, record[column.databaseName]]));
  }
}
