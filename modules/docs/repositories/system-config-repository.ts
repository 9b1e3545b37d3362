import { err, errAsync, ok, type ResultAsync } from "neverthrow";
import { inject, injectable } from "tsyringe";
import type { DbError } from "../../../framework/errors/db-error";
import { sqlTimestamp } from "../../../framework/sql/sql-params";
import { DocsSql } from "../docs-sql";
import { invalidField, notFound, parseJson, requireText } from "./row-values";

/** One runtime setting of the docs system (seed 004 `system_config`). */
export interface ConfigEntry {
  readonly key: string;
  readonly value: unknown;
  readonly schema_version: string;
  readonly updated_at: string;
  readonly updated_by: string;
}

interface ConfigRow extends Record<string, unknown> {
  key: string;
  value: string;
  schema_version: string;
  updated_at: string;
  updated_by: string;
}

/** Runtime configuration as JSON values by key. */
@injectable()
export class SystemConfigRepository {
  constructor(@inject(DocsSql) private readonly sql: DocsSql) {}

  /** One setting, or RECORD_NOT_FOUND. */
  get(key: string): ResultAsync<ConfigEntry, DbError> {
    return this.sql.fetchOne<ConfigRow>("SELECT * FROM system_config WHERE key = ?", [key]).andThen((row) => (row === null ? err(notFound("system_config", "key", key)) : ok({ ...row, value: parseJson(row.value) })));
  }

  /** Writes a setting (any JSON value), recording who changed it. */
  set(key: string, value: unknown, updatedBy = "system"): ResultAsync<ConfigEntry, DbError> {
    const checkedKey = requireText(key, "key");
    if (checkedKey.isErr()) return errAsync(checkedKey.error);
    const json = value === undefined ? undefined : JSON.stringify(value);
    if (json === undefined) return errAsync(invalidField("value", "must be a JSON value (undefined cannot be stored)."));
    return this.sql
      .fetchOne<ConfigRow>(
        `INSERT INTO system_config (key, value, updated_at, updated_by) VALUES (?, ?, ?, ?)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at, updated_by = excluded.updated_by RETURNING *`,
        [key, json, sqlTimestamp(new Date()), updatedBy],
      )
      .andThen((row) => (row === null ? err(notFound("system_config", "key", key)) : ok({ ...row, value: parseJson(row.value) })));
  }

  /** Every setting, by key. */
  list(): ResultAsync<ConfigEntry[], DbError> {
    return this.sql.fetchAll<ConfigRow>("SELECT * FROM system_config ORDER BY key").map((rows) => rows.map((row) => ({ ...row, value: parseJson(row.value) })));
  }
}
