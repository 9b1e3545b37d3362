/** A value that may be bound to a `?` placeholder. Dates become UTC `YYYY-MM-DD HH:MM:SS.SSS` text; on SQLite booleans become 1/0. */
export type SqlParam = string | number | bigint | boolean | null | Date | Uint8Array;

/** One parameterised statement: SQL text with `?` placeholders and the values bound to them, in order. */
export type SqlStatement = readonly [sql: string, params?: readonly SqlParam[]];

/** A row as raw SQL returns it: column name → value (timestamps as UTC text on every engine). */
export type SqlRow = Record<string, unknown>;

/** What a write statement did. */
export interface ExecuteResult {
  /** Rows inserted, updated or deleted by the statement (0 for statements that return rows). */
  readonly changes: number;
  /** The rowid of the last inserted row (SQLite, after an INSERT into a rowid table; undefined on PostgreSQL: use `RETURNING`). */
  readonly lastInsertRowid: number | bigint | undefined;
}
