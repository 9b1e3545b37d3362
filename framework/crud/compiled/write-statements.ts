import { randomUUID } from "node:crypto";
import type { DataSource } from "typeorm";
import { TimestampPrecisionSubscriber } from "../../database/timestamp-precision";
import type { CompiledColumn, CompiledTable } from "./compiled-table";
import type { CheckedValues } from "./compiled-values";

/** What an insert puts into a column the caller left out, as TypeORM's InsertQueryBuilder would. */
type Fill =
  | { readonly kind: "sql"; readonly sql: string }
  | { readonly kind: "now" }
  | { readonly kind: "uuid" };

/** A statement and the values to bind to it, in placeholder order. */
export interface BoundStatement {
  readonly sql: string;
  readonly parameters: unknown[];
}

/**
 * True when TypeORM's insert and update of this table do nothing the compiled statements leave
 * out: a plain table (no inheritance discriminator, no tree), no entity listeners, and no
 * subscriber but the framework's own timestamp one (whose work the statements do themselves).
 */
export function compiledWritesAllowed(table: CompiledTable, dataSource: DataSource): boolean {
  const { metadata } = table;
  return (
    metadata.tableType === "regular" &&
    metadata.discriminatorColumn === undefined &&
    metadata.treeType === undefined &&
    metadata.listeners.length === 0 &&
    table.keys.length > 0 &&
    dataSource.subscribers.every((subscriber) => subscriber instanceof TimestampPrecisionSubscriber)
  );
}

/**
 * The INSERT, UPDATE and DELETE statements of one compiled table, by the set of columns a call
 * names. They do what TypeORM's query builders plus the framework's timestamp subscriber do:
 * every insertable column is listed; one the caller left out gets the metadata's default (inlined
 * the way the driver writes it), a generated UUID, the current time for create/update dates,
 * 1 for a version column, or NULL; an update moves the update date to now and the version on.
 */
export class WriteStatements {
  private readonly insertable: readonly CompiledColumn[];
  private readonly fills: ReadonlyMap<CompiledColumn, Fill>;
  private readonly updateDates: readonly CompiledColumn[];
  private readonly version: CompiledColumn | undefined;

  constructor(
    private readonly table: CompiledTable,
    dataSource: DataSource,
  ) {
    const driver = dataSource.driver;
    this.insertable = table.columns.filter((column) => column.metadata.isInsert);
    const fills = new Map<CompiledColumn, Fill>();
    for (const column of this.insertable) {
      const metadata = column.metadata;
      if (metadata.isVersion) fills.set(column, { kind: "sql", sql: "1" });
      else if (metadata.isCreateDate || metadata.isUpdateDate) fills.set(column, { kind: "now" });
      else if (metadata.isGenerated && metadata.generationStrategy === "uuid" && !driver.isUUIDGenerationSupported()) fills.set(column, { kind: "uuid" });
      else fills.set(column, { kind: "sql", sql: driver.normalizeDefault(metadata) ?? "NULL" });
    }
    this.fills = fills;
    this.updateDates = table.columns.filter((column) => column.metadata.isUpdateDate && column.metadata.isUpdate && column.metadata.embeddedMetadata === undefined);
    this.version = table.columns.find((column) => column.metadata.isVersion && column.metadata.isUpdate);
  }

  /** `INSERT … [RETURNING …]` for a checked record; `returning` names what comes back (every column, the key, nothing). */
  insert(checked: CheckedValues, returning: "all" | "key" | "none"): BoundStatement {
    const { table } = this;
    const named = new Map<CompiledColumn, number>();
    checked.columns.forEach((column, index) => named.set(column, index));
    const shape = `insert:${returning}:${checked.columns.map((column) => column.name).join("\u0000")}`;
    const parameters: unknown[] = [];
    const now = new Date();
    for (const column of this.insertable) {
      const index = named.get(column);
      if (index !== undefined) parameters.push(stored(column, checked.values[index]));
      else {
        const fill = this.fills.get(column) as Fill;
        if (fill.kind === "now") parameters.push(stored(column, now));
        else if (fill.kind === "uuid") parameters.push(stored(column, randomUUID()));
      }
    }
    const sql = table.sql(shape, () => {
      let position = 0;
      const values = this.insertable.map((column) => {
        const fill = this.fills.get(column) as Fill;
        return named.has(column) || fill.kind !== "sql" ? table.direct.placeholder(position++) : fill.sql;
      });
      const tail = returning === "all" ? ` RETURNING ${table.selectList}` : returning === "key" ? ` RETURNING ${table.keys.map((key) => key.quoted).join(", ")}` : "";
      return `INSERT INTO ${table.quotedTable} (${this.insertable.map((column) => column.quoted).join(", ")}) VALUES (${values.join(", ")})${tail}`;
    });
    return { sql, parameters };
  }

  /** `UPDATE … SET … WHERE <key> [AND live] RETURNING <every column>` for a checked patch of one record. */
  update(checked: CheckedValues, key: readonly unknown[]): BoundStatement {
    const { table } = this;
    const dates = this.updateDates.filter((column) => !checked.columns.includes(column));
    const parameters = checked.columns.map((column, index) => stored(column, checked.values[index]));
    const now = new Date();
    for (const column of dates) parameters.push(stored(column, now));
    parameters.push(...key);
    const bumpsVersion = this.version !== undefined && !checked.columns.includes(this.version);
    const shape = `update:${checked.columns.map((column) => column.name).join("\u0000")}`;
    const sql = table.sql(shape, () => {
      let position = 0;
      const sets = [...checked.columns, ...dates].map((column) => `${column.quoted} = ${table.direct.placeholder(position++)}`);
      if (bumpsVersion && this.version !== undefined) sets.push(`${this.version.quoted} = ${this.version.quoted} + 1`);
      const where = table.keys.map((column) => `${column.quoted} = ${table.direct.placeholder(position++)}`).join(" AND ");
      const live = table.liveCondition === undefined ? "" : ` AND ${table.liveCondition}`;
      return `UPDATE ${table.quotedTable} SET ${sets.join(", ")} WHERE ${where}${live} RETURNING ${table.selectList}`;
    });
    return { sql, parameters };
  }

  /** `DELETE … WHERE <key> RETURNING <every column>`: removes one record and returns it as it was (tables without soft delete). */
  delete(key: readonly unknown[]): BoundStatement {
    const { table } = this;
    const sql = table.sql("delete", () => `DELETE FROM ${table.quotedTable} WHERE ${table.keyCondition} RETURNING ${table.selectList}`);
    return { sql, parameters: [...key] };
  }
}

function stored(column: CompiledColumn, value: unknown): unknown {
  return column.toStored === undefined ? value : column.toStored(value);
}
