import { err, ok, type Result } from "neverthrow";
import type { DataSource, EntityMetadata } from "typeorm";
import type { ColumnMetadata } from "typeorm/metadata/ColumnMetadata";
import type { EngineDirect } from "../../engines/engine";
import { dbError, type DbError } from "../../errors/db-error";
import { coercionOf, type Coercion } from "../coerce-value";
import { tableColumns } from "../column-lookup";
import type { CrudRecord } from "../crud-types";
import { declaredLength } from "../declared-length";
import { isFilledByDatabase } from "../record-values";
import { quoteIdentifier } from "../sql-identifier";

/** One column as compiled statements use it: names, checks and value conversions worked out once. */
export interface CompiledColumn {
  readonly metadata: ColumnMetadata;
  /** The database column name: the key of records and of rows. */
  readonly name: string;
  readonly quoted: string;
  readonly coerce: Coercion;
  /** The declared maximum length of a text column, when it has one. */
  readonly maxLength: number | undefined;
  /** JS value → stored value (the driver's `preparePersistentValue`); undefined when the driver keeps values as they are. */
  readonly toStored: ((value: unknown) => unknown) | undefined;
  /** Stored value → JS value (the driver's `prepareHydratedValue`); undefined when the driver keeps values as they are. */
  readonly fromStored: ((value: unknown) => unknown) | undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

function compileColumn(dataSource: DataSource, direct: EngineDirect, column: ColumnMetadata): CompiledColumn {
  const driver = dataSource.driver;
  return {
    metadata: column,
    name: column.databaseName,
    quoted: quoteIdentifier(column.databaseName),
    coerce: coercionOf(column),
    maxLength: declaredLength(column),
    toStored: direct.keepsValuesAsIs(column, "write") ? undefined : (value) => driver.preparePersistentValue(value, column) as unknown,
    fromStored: direct.keepsValuesAsIs(column, "read") ? undefined : (value) => driver.prepareHydratedValue(value, column) as unknown,
  };
}

/**
 * What the CrudService's hot paths need of one table, built once from its entity metadata: the
 * columns in table order with their checks and conversions, the primary key, the statements'
 * SQL, and hydration of rows. Lives as long as the metadata (a reload builds new metadata, and so
 * a new compiled table); the statements themselves are prepared and cached by the engine.
 */
export class CompiledTable {
  readonly columns: readonly CompiledColumn[];
  readonly byName: ReadonlyMap<string, CompiledColumn>;
  readonly keys: readonly CompiledColumn[];
  readonly quotedTable: string;
  /** `"a", "b", …`: every column, in table order. */
  readonly selectList: string;
  /** `"id" = ? AND …`: the primary key with positional placeholders from 0. */
  readonly keyCondition: string;
  /** `"deleted_at" IS NULL` on soft-delete tables; undefined otherwise. */
  readonly liveCondition: string | undefined;
  /** Columns a create must name (none the database or TypeORM would fill). */
  readonly required: readonly CompiledColumn[];
  private readonly hydrated: readonly CompiledColumn[];
  private readonly sqlCache = new Map<string, string>();

  constructor(
    readonly metadata: EntityMetadata,
    readonly direct: EngineDirect,
    dataSource: DataSource,
    readonly database: string,
  ) {
    this.columns = tableColumns(metadata).map((column) => compileColumn(dataSource, direct, column));
    this.byName = new Map(this.columns.map((column) => [column.name, column]));
    this.keys = metadata.primaryColumns.map((key) => this.byName.get(key.databaseName)).filter((key): key is CompiledColumn => key !== undefined);
    this.quotedTable = quoteIdentifier(metadata.tableName);
    this.selectList = this.columns.map((column) => column.quoted).join(", ");
    this.keyCondition = this.keys.map((key, index) => `${key.quoted} = ${direct.placeholder(index)}`).join(" AND ");
    const deleted = metadata.deleteDateColumn;
    this.liveCondition = deleted === undefined ? undefined : `${quoteIdentifier(deleted.databaseName)} IS NULL`;
    this.hydrated = this.columns.filter((column) => column.fromStored !== undefined);
    this.required = this.columns.filter((column) => !isFilledByDatabase(column.metadata));
  }

  /** SQL built once per `key` (a statement's shape) and kept. */
  sql(key: string, build: () => string): string {
    let text = this.sqlCache.get(key);
    if (text === undefined) {
      text = build();
      this.sqlCache.set(key, text);
    }
    return text;
  }

  /** `SELECT <every column> FROM t WHERE <key> [AND live]`: one record by primary key. */
  selectByKey(withDeleted: boolean): string {
    return this.sql(withDeleted ? "select:any" : "select:live", () => {
      const live = withDeleted || this.liveCondition === undefined ? "" : ` AND ${this.liveCondition}`;
      return `SELECT ${this.selectList} FROM ${this.quotedTable} WHERE ${this.keyCondition}${live}`;
    });
  }

  /** Turns a row of every column (keyed by database name) into a record in place: the driver's conversions, only where it makes any. */
  hydrate(row: Record<string, unknown>): CrudRecord {
    for (const column of this.hydrated) {
      const value = row[column.name];
      // The driver returns NULL as it is unless a transformer says otherwise.
      if (value !== null || column.metadata.transformer !== undefined) row[column.name] = (column.fromStored as (value: unknown) => unknown)(value);
    }
    return row;
  }

  /**
   * The stored values of a primary key given as a value (or an object for composite keys), or
   * VALIDATION_FAILED for an unusable id — the checks and messages of `primaryKeyWhere`.
   */
  keyValues(id: unknown): Result<unknown[], DbError> {
    const keys = this.keys;
    if (keys.length === 0 || keys.length !== this.metadata.primaryColumns.length) return this.invalidId("the table has no primary key");
    const values = new Array<unknown>(keys.length);
    if (keys.length > 1 && !isPlainObject(id)) return this.invalidId(`a composite key needs an object with ${keys.map((key) => key.name).join(", ")}`);
    for (let index = 0; index < keys.length; index += 1) {
      const key = keys[index] as CompiledColumn;
      const part = keys.length === 1 && !isPlainObject(id) ? id : (id as Record<string, unknown>)[key.name];
      const coerced = key.coerce(part, "key");
      if (coerced.isErr()) return this.invalidId(coerced.error);
      values[index] = key.toStored === undefined ? coerced.value : key.toStored(coerced.value);
    }
    return ok(values);
  }

  private invalidId(reason: string): Result<never, DbError> {
    const { tableName } = this.metadata;
    return err(dbError("VALIDATION_FAILED", `Invalid id for '${tableName}': ${reason}.`, this.database, { table_name: tableName, primary_key: this.keys.map((key) => key.name), reason: "invalid_id" }));
  }
}

const compiled = new WeakMap<EntityMetadata, CompiledTable | null>();

/**
 * The compiled table of `metadata`, built on first use; undefined when its engine offers no direct
 * statements (the caller then takes the DataSource path).
 */
export function compiledTable(metadata: EntityMetadata, direct: EngineDirect | undefined, dataSource: DataSource, database: string): CompiledTable | undefined {
  if (direct === undefined) return undefined;
  let table = compiled.get(metadata);
  if (table === undefined) {
    table = metadata.tableType === "regular" || metadata.tableType === "junction" ? new CompiledTable(metadata, direct, dataSource, database) : null;
    compiled.set(metadata, table);
  }
  return table ?? undefined;
}
