import { err, errAsync, ok, okAsync, Result, ResultAsync } from "neverthrow";
import { inject, injectable } from "tsyringe";
import type { EntityManager, EntityMetadata } from "typeorm";
import { DatabaseRegistry } from "../database/database-registry";
import type { ModuleDatabase } from "../database/module-database";
import { dbError, type DbError } from "../errors/db-error";
import { toDbError } from "../errors/to-db-error";
import { buildWhere } from "./build-where";
import { findColumn } from "./column-lookup";
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, type CreateManyResult, type CrudRecord, type Filter, type GetOptions, type ListQuery, type Page, type Sort } from "./crud-types";
import { assignValues, hydrateRecord, primaryKeyWhere, validateValues, type ColumnValues } from "./record-values";
import { budgetRefusal, rowSizeExpression } from "./row-sizes";
import { quoteIdentifier } from "./sql-identifier";

interface TableTarget {
  readonly db: ModuleDatabase;
  readonly metadata: EntityMetadata;
}

/** Rows per INSERT statement in `createMany`, bounded by SQLite's limit on bound parameters. */
function chunkSize(columnCount: number): number {
  return Math.max(1, Math.min(500, Math.floor(30_000 / Math.max(1, columnCount))));
}

function isPositiveInteger(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= 1;
}

/**
 * Create, read, update and delete on any table of any discovered database, addressed by
 * database and table name. Every method returns a ResultAsync and never throws; values reach SQL
 * only as bound parameters and identifiers only after they match entity metadata. Writes run in
 * the database's serialised transactions, so they never mix with another caller's work.
 */
@injectable()
export class CrudService {
  constructor(@inject(DatabaseRegistry) private readonly registry: DatabaseRegistry) {}

  /** Inserts one record and returns it as stored (defaults and generated keys filled in). */
  create(database: string, table: string, values: Record<string, unknown>): ResultAsync<CrudRecord, DbError> {
    return this.resolve(database, table)
      .andThen((target) => validateValues(target.metadata, values, "create", database).map((columns) => ({ target, columns })))
      .asyncAndThen(({ target, columns }) =>
        target.db.transaction(async (manager) => {
          const entity = assignValues(target.metadata.create() as Record<string, unknown>, columns);
          await manager.createQueryBuilder().insert().into(target.metadata.target).values(entity).execute();
          const id = Object.fromEntries(target.metadata.primaryColumns.map((column) => [column.databaseName, column.getEntityValue(entity)]));
          return this.readRow(manager, target, id);
        }),
      )
      .andThen((record) => (record === undefined ? errAsync(dbError("RECORD_NOT_FOUND", "The created record could not be read back.", database)) : okAsync(record)));
  }

  /** Inserts many records in one transaction, in chunks; all or nothing. */
  createMany(database: string, table: string, rows: readonly Record<string, unknown>[]): ResultAsync<CreateManyResult, DbError> {
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
        return target.db.transaction(async (manager) => {
          for (let start = 0; start < validated.length; start += size) {
            const entities = validated.slice(start, start + size).map((columns) => assignValues(target.metadata.create() as Record<string, unknown>, columns));
            await manager.createQueryBuilder().insert().into(target.metadata.target).values(entities).updateEntity(false).execute();
          }
          return { inserted: validated.length };
        });
      });
  }

  /** One record by primary key (a value, or an object for composite keys; text ids must be canonical). */
  get(database: string, table: string, id: unknown, options: GetOptions = {}): ResultAsync<CrudRecord, DbError> {
    return this.resolve(database, table).asyncAndThen((target) =>
      this.guard(target, () =>
        target.db.gate.run(async () => {
          const manager = target.db.dataSource.manager;
          if (options.maxBytes !== undefined) {
            const where = primaryKeyWhere(target.metadata, id, target.db.dataSource, target.db.name);
            if (where.isErr()) throw where.error;
            const sizes = (await manager.query(`SELECT ${rowSizeExpression(target.metadata)} AS bytes FROM ${quoteIdentifier(target.metadata.tableName)}${where.value.sql}`, where.value.parameters)) as { bytes: number }[];
            const refusal = budgetRefusal(target.metadata, target.db.name, sizes.map((row) => row.bytes), options.maxBytes, "record");
            if (refusal !== undefined) throw refusal;
          }
          return this.readRow(manager, target, id);
        }),
      ).andThen((record) => this.found(record, target, id)),
    );
  }

  /** One page of records, filtered and sorted, with the total count. */
  list(database: string, table: string, query: ListQuery = {}): ResultAsync<Page, DbError> {
    return this.resolve(database, table)
      .andThen((target) => this.planList(target, query ?? {}))
      .asyncAndThen(({ target, page, pageSize, where, orderBy }) =>
        target.db.snapshot(async (manager) => {
          const [{ total }] = (await manager.query(`SELECT COUNT(*) AS total FROM ${quoteIdentifier(target.metadata.tableName)}${where.sql}`, where.parameters)) as [{ total: number }];
          const totalPages = Math.ceil(total / pageSize);
          if (page > Math.max(1, totalPages)) return { outOfRange: true as const, total, totalPages };
          if (query.maxBytes !== undefined) {
            // Measured from record headers first: a page that would be huge is refused before any value is read.
            const sizes = (await manager.query(
              `SELECT ${rowSizeExpression(target.metadata)} AS bytes FROM ${quoteIdentifier(target.metadata.tableName)}${where.sql}${orderBy} LIMIT ? OFFSET ?`,
              [...where.parameters, pageSize, (page - 1) * pageSize],
            )) as { bytes: number }[];
            const refusal = budgetRefusal(target.metadata, database, sizes.map((row) => row.bytes), query.maxBytes, "page");
            if (refusal !== undefined) throw refusal;
          }
          const rows = (await manager.query(
            `SELECT * FROM ${quoteIdentifier(target.metadata.tableName)}${where.sql}${orderBy} LIMIT ? OFFSET ?`,
            [...where.parameters, pageSize, (page - 1) * pageSize],
          )) as Record<string, unknown>[];
          const records = rows.map((row) => hydrateRecord(target.db.dataSource, target.metadata, row));
          return { outOfRange: false as const, page: { records, page, pageSize, totalRecords: total, totalPages } };
        }).andThen((outcome) =>
          outcome.outOfRange
            ? err(dbError("VALIDATION_FAILED", `Page ${page} is out of range: there are ${outcome.totalPages} page(s).`, database, { page, total_pages: outcome.totalPages, total_records: outcome.total }))
            : ok(outcome.page),
        ),
      );
  }

  /** Changes some columns of one record and returns it as stored. */
  update(database: string, table: string, id: unknown, patch: Record<string, unknown>): ResultAsync<CrudRecord, DbError> {
    return this.resolve(database, table)
      .andThen((target) => validateValues(target.metadata, patch, "update", database).map((columns) => ({ target, columns })))
      .asyncAndThen(({ target, columns }) =>
        this.withExisting(target, id, async (manager, criteria) => {
          await manager.update(target.metadata.target, criteria, assignValues({} as Record<string, unknown>, columns as ColumnValues));
          return this.readRow(manager, target, id);
        }),
      );
  }

  /** Deletes one record and returns it as it was. */
  delete(database: string, table: string, id: unknown): ResultAsync<CrudRecord, DbError> {
    return this.resolve(database, table).asyncAndThen((target) =>
      this.withExisting(target, id, async (manager, criteria, existing) => {
        await manager.delete(target.metadata.target, criteria);
        return existing;
      }),
    );
  }

  /** How many records match the filters. */
  count(database: string, table: string, filters?: readonly Filter[]): ResultAsync<number, DbError> {
    return this.resolve(database, table)
      .andThen((target) => buildWhere(target.db.dataSource, target.metadata, filters, database).map((where) => ({ target, where })))
      .asyncAndThen(({ target, where }) =>
        this.guard(target, async () => {
          const [{ total }] = (await target.db.dataSource.query(`SELECT COUNT(*) AS total FROM ${quoteIdentifier(target.metadata.tableName)}${where.sql}`, where.parameters)) as [{ total: number }];
          return total;
        }),
      );
  }

  private resolve(database: string, table: string): Result<TableTarget, DbError> {
    return this.registry.get(database).andThen((db) => db.table(table).map((metadata) => ({ db, metadata })));
  }

  private guard<T>(target: TableTarget, work: () => Promise<T>): ResultAsync<T, DbError> {
    return ResultAsync.fromPromise(work(), (error) => toDbError(error, target.db.name));
  }

  private found(record: CrudRecord | undefined, target: TableTarget, id: unknown): ResultAsync<CrudRecord, DbError> {
    if (record !== undefined) return okAsync(record);
    return errAsync(dbError("RECORD_NOT_FOUND", `No record with id ${JSON.stringify(id)} in '${target.metadata.tableName}'.`, target.db.name, { table_name: target.metadata.tableName, id }));
  }

  private async readRow(manager: EntityManager, target: TableTarget, id: unknown): Promise<CrudRecord | undefined> {
    const where = primaryKeyWhere(target.metadata, id, target.db.dataSource, target.db.name);
    if (where.isErr()) throw where.error;
    const rows = (await manager.query(`SELECT * FROM ${quoteIdentifier(target.metadata.tableName)}${where.value.sql}`, where.value.parameters)) as Record<string, unknown>[];
    return rows[0] === undefined ? undefined : hydrateRecord(target.db.dataSource, target.metadata, rows[0]);
  }

  /** Runs `work` in a transaction once the record exists; RECORD_NOT_FOUND otherwise, with nothing written. */
  private withExisting(
    target: TableTarget,
    id: unknown,
    work: (manager: EntityManager, criteria: Record<string, unknown>, existing: CrudRecord) => Promise<CrudRecord | undefined>,
  ): ResultAsync<CrudRecord, DbError> {
    const where = primaryKeyWhere(target.metadata, id, target.db.dataSource, target.db.name);
    if (where.isErr()) return errAsync(where.error);
    return target.db
      .transaction(async (manager) => {
        const existing = await this.readRow(manager, target, id);
        if (existing === undefined) return undefined;
        const criteria = Object.fromEntries(target.metadata.primaryColumns.map((column) => [column.propertyPath, existing[column.databaseName]]));
        return work(manager, criteria, existing);
      })
      .andThen((record) => this.found(record, target, id));
  }

  private planList(target: TableTarget, query: ListQuery) {
    const database = target.db.name;
    const invalid = (message: string, details: Record<string, unknown> = {}) => err(dbError("VALIDATION_FAILED", message, database, details));
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? DEFAULT_PAGE_SIZE;
    if (!isPositiveInteger(page)) return invalid(`page must be a whole number from 1, got ${JSON.stringify(query.page)}.`, { page: query.page });
    if (!isPositiveInteger(pageSize) || pageSize > MAX_PAGE_SIZE) {
      return invalid(`pageSize must be a whole number from 1 to ${MAX_PAGE_SIZE}, got ${JSON.stringify(query.pageSize)}.`, { page_size: query.pageSize, max_page_size: MAX_PAGE_SIZE });
    }
    if (query.maxBytes !== undefined && !isPositiveInteger(query.maxBytes)) return invalid(`maxBytes must be a whole number from 1, got ${JSON.stringify(query.maxBytes)}.`, { max_bytes: query.maxBytes });
    const sorts: readonly Sort[] = query.sort ?? [];
    if (!Array.isArray(sorts)) return invalid("sort must be an array of { column, direction }.");
    const orderParts = Result.combine(
      sorts.map((sort) =>
        findColumn(target.metadata, sort?.column, database).andThen((column) =>
          sort.direction === "asc" || sort.direction === "desc"
            ? ok(`${quoteIdentifier(column.databaseName)} ${sort.direction.toUpperCase()}`)
            : err(dbError("VALIDATION_FAILED", `Sort direction must be asc or desc, got ${JSON.stringify(sort.direction)}.`, database, { column: sort.column })),
        ),
      ),
    );
    return orderParts.andThen((parts) =>
      buildWhere(target.db.dataSource, target.metadata, query.filters, database).map((where) => {
        // The primary key breaks ties so pages never overlap or skip rows.
        const keys = target.metadata.primaryColumns.map((column) => `${quoteIdentifier(column.databaseName)} ASC`);
        const orderBy = ` ORDER BY ${[...parts, ...keys].join(", ")}`;
        return { target, page, pageSize, where, orderBy };
      }),
    );
  }
}
