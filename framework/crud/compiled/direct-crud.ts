import { err, errAsync, ok, okAsync, type Result, type ResultAsync } from "neverthrow";
import type { EntityMetadata } from "typeorm";
import type { DatabaseRegistry } from "../../database/database-registry";
import type { DirectConnection } from "../../engines/engine";
import { dbError, type DbError } from "../../errors/db-error";
import type { CreateManyResult, CrudRecord } from "../crud-types";
import type { TableTarget } from "../query/table-target";
import { withForeignKeyColumns } from "../record-values";
import { compiledTable } from "./compiled-table";
import { asColumnValues, checkValues, type CheckedValues } from "./compiled-values";
import { recordNotFound, refused, runDirect, type CompiledTarget } from "./direct-run";
import { compiledWritesAllowed, WriteStatements } from "./write-statements";

/** One write of the compiled paths, as work that must share its transaction sees it. */
export interface DirectWrite {
  readonly database: string;
  readonly table: string;
  readonly operation: "create" | "update" | "delete";
  /** The record as stored after the write; for a delete, as it was. For rows of `createMany`, the key and the values written. */
  readonly record: CrudRecord;
  /** Database names of the columns the caller wrote (none for a delete). */
  readonly columns: readonly string[];
}

/**
 * Work that must commit or roll back with a compiled write (its audit row): it runs on the same
 * connection inside the write's transaction, synchronously, and a throw rolls the write back.
 */
export type SameTransactionWork = (connection: DirectConnection, write: DirectWrite) => void;

/** A compiled target whose table the compiled writes may change. */
export interface WritableTarget extends CompiledTarget {
  readonly writes: WriteStatements;
}

/**
 * The CrudService's hot paths on compiled tables: each call is a few prepared statements run
 * straight on the engine's driver, with validation, key checks and hydration built once per table.
 * Used only where the engine offers direct statements ({@link EngineSession.direct}) and, for
 * writes, where TypeORM would do nothing more than the statements do (see `compiledWritesAllowed`);
 * the CrudService keeps its DataSource path for everything else, with the same results and errors.
 *
 * A single-row write without same-transaction work is one statement (`INSERT … RETURNING`,
 * `UPDATE … RETURNING`, `DELETE … RETURNING`), atomic on its own; with such work, or for several
 * rows, one transaction.
 */
export class DirectCrud {
  /** Compiled targets by metadata (metadata belongs to one DataSource, so to one database). */
  private readonly targets = new WeakMap<EntityMetadata, CompiledTarget | null>();
  private readonly writable = new WeakMap<EntityMetadata, WritableTarget | null>();

  constructor(private readonly registry: DatabaseRegistry) {}

  /** The compiled form of a resolved table, or undefined when its engine has no direct statements. */
  compile(target: TableTarget): CompiledTarget | undefined {
    let compiled = this.targets.get(target.metadata);
    if (compiled === undefined) {
      const table = compiledTable(target.metadata, target.db.session.direct, target.db.dataSource, target.db.name);
      compiled = table === undefined ? null : { db: target.db, metadata: target.metadata, table };
      this.targets.set(target.metadata, compiled);
    }
    return compiled ?? undefined;
  }

  /** The compiled form for writes, or undefined when the DataSource path must write this table. */
  compileWrites(target: TableTarget): WritableTarget | undefined {
    let compiled = this.writable.get(target.metadata);
    if (compiled === undefined) {
      const read = this.compile(target);
      compiled = read === undefined || !compiledWritesAllowed(read.table, target.db.dataSource) ? null : { ...read, writes: new WriteStatements(read.table, target.db.dataSource) };
      this.writable.set(target.metadata, compiled);
    }
    return compiled ?? undefined;
  }

  /** One record by primary key, every column (`CrudService.get` without fields, include or maxBytes). */
  get(target: CompiledTarget, id: unknown, withDeleted: boolean): ResultAsync<CrudRecord, DbError> {
    const { table } = target;
    const key = table.keyValues(id);
    if (key.isErr()) return errAsync(key.error);
    const sql = table.selectByKey(withDeleted);
    return runDirect(this.registry, target, "read", (connection) => connection.prepare(sql).get(key.value), (row) => this.found(target, row === undefined ? undefined : table.hydrate(row), id));
  }

  /** `CrudService.create`: validation, then `INSERT … RETURNING` every column. */
  create(target: WritableTarget, values: Record<string, unknown>, hook?: SameTransactionWork): ResultAsync<CrudRecord, DbError> {
    const checked = checkValues(target.table, values, "create");
    if (checked.isErr()) return errAsync(checked.error);
    const statement = target.writes.insert(checked.value, "all");
    return this.write(target, checked.value, "create", (connection) => connection.prepare(statement.sql).get(statement.parameters), undefined, hook);
  }

  /** `CrudService.createMany`: every row validated first (errors name the row), then one transaction of prepared single-row inserts. */
  createMany(target: WritableTarget, rows: readonly Record<string, unknown>[], hook?: SameTransactionWork): ResultAsync<CreateManyResult, DbError> {
    const checkedRows: CheckedValues[] = [];
    for (const [index, row] of rows.entries()) {
      const checked = checkValues(target.table, row, "create");
      if (checked.isErr()) return errAsync({ ...checked.error, details: { ...checked.error.details, row: index } });
      checkedRows.push(checked.value);
    }
    if (checkedRows.length === 0) return okAsync({ inserted: 0 });
    const { db, metadata } = target;
    return runDirect(
      this.registry,
      target,
      "write",
      (connection) =>
        connection.transaction(() => {
          for (const checked of checkedRows) {
            const statement = target.writes.insert(checked, hook === undefined ? "none" : "key");
            if (hook === undefined) {
              connection.prepare(statement.sql).run(statement.parameters);
              continue;
            }
            const key = connection.prepare(statement.sql).get(statement.parameters) ?? {};
            const record: CrudRecord = { ...key };
            checked.columns.forEach((column, index) => (record[column.name] = checked.values[index]));
            hook(connection, { database: db.name, table: metadata.tableName, operation: "create", record, columns: checked.columns.map((column) => column.name) });
          }
          return checkedRows.length;
        }),
      (inserted) => ok({ inserted }),
    );
  }

  /** `CrudService.update`: validation, then `UPDATE … RETURNING`; RECORD_NOT_FOUND when no live row has the key. Undefined: the DataSource path must do it. */
  update(target: WritableTarget, id: unknown, patch: Record<string, unknown>, hook?: SameTransactionWork): ResultAsync<CrudRecord, DbError> | undefined {
    const checked = checkValues(target.table, patch, "update");
    if (checked.isErr()) return errAsync(checked.error);
    // TypeORM skips columns it may not update; such a patch keeps its way.
    if (checked.value.columns.some((column) => !column.metadata.isUpdate)) return undefined;
    const key = target.table.keyValues(id);
    if (key.isErr()) return errAsync(key.error);
    const statement = target.writes.update(checked.value, key.value);
    return this.write(target, checked.value, "update", (connection) => connection.prepare(statement.sql).get(statement.parameters), id, hook);
  }

  /** `CrudService.delete` on a table without soft delete: `DELETE … RETURNING` the record as it was. */
  delete(target: WritableTarget, id: unknown, hook?: SameTransactionWork): ResultAsync<CrudRecord, DbError> {
    const key = target.table.keyValues(id);
    if (key.isErr()) return errAsync(key.error);
    const statement = target.writes.delete(key.value);
    return this.write(target, { columns: [], values: [] }, "delete", (connection) => connection.prepare(statement.sql).get(statement.parameters), id, hook);
  }

  /** One single-row write: the statement alone, or with the same-transaction work in one transaction. */
  private write(
    target: WritableTarget,
    checked: CheckedValues,
    operation: DirectWrite["operation"],
    statement: (connection: DirectConnection) => Record<string, unknown> | undefined,
    id: unknown,
    hook: SameTransactionWork | undefined,
  ): ResultAsync<CrudRecord, DbError> {
    const { db, metadata, table } = target;
    const work =
      hook === undefined
        ? (connection: DirectConnection) => {
            const row = statement(connection);
            return row === undefined ? undefined : table.hydrate(row);
          }
        : (connection: DirectConnection) =>
            connection.transaction(() => {
              const row = statement(connection);
              if (row === undefined) return undefined;
              const record = table.hydrate(row);
              hook(connection, { database: db.name, table: metadata.tableName, operation, record, columns: checked.columns.map((column) => column.name) });
              return record;
            });
    return runDirect(this.registry, target, "write", work, (record) => this.found(target, record, id)).mapErr((error) =>
      checked.columns.length === 0 ? error : withForeignKeyColumns(error, metadata, asColumnValues(checked)),
    );
  }

  /** The record, or RECORD_NOT_FOUND as the DataSource path words it (`id` undefined: a create that returned nothing). */
  private found(target: CompiledTarget, record: CrudRecord | undefined, id: unknown): Result<CrudRecord, DbError> {
    if (record !== undefined) return ok(record);
    if (id === undefined) return err(dbError("RECORD_NOT_FOUND", "The created record could not be read back.", target.db.name));
    return refused(recordNotFound(target.metadata.tableName, target.db.name, id));
  }
}
