import type { EntityMetadata } from "typeorm";
import type { CrudRecord } from "../../crud/crud-types";
import { sensitiveColumns } from "../../crud/sensitive";
import type { DatabaseRegistry } from "../../database/database-registry";
import type { ApiError } from "../errors/api-error";

const cache = new WeakMap<EntityMetadata, ReadonlySet<string>>();

/** The sensitive column names of a table, computed once per metadata. */
export function sensitiveOf(metadata: EntityMetadata): ReadonlySet<string> {
  let columns = cache.get(metadata);
  if (columns === undefined) {
    columns = sensitiveColumns(metadata);
    cache.set(metadata, columns);
  }
  return columns;
}

/** Every sensitive column name of every open database, for scrubbing logs. */
export function allSensitiveColumnNames(registry: DatabaseRegistry): ReadonlySet<string> {
  return new Set(registry.open().flatMap((db) => db.tableMetadatas().flatMap((metadata) => [...sensitiveOf(metadata)])));
}

/** A copy of `record` without its sensitive columns. */
export function withoutSensitive(record: CrudRecord, sensitive: ReadonlySet<string>): CrudRecord {
  if (sensitive.size === 0) return record;
  return Object.fromEntries(Object.entries(record).filter(([column]) => !sensitive.has(column)));
}

/** Removes sensitive names from the column lists an error offers as help. */
export function scrubErrorDetails(error: ApiError, sensitive: ReadonlySet<string>): ApiError {
  if (sensitive.size === 0) return error;
  const details: Record<string, unknown> = { ...error.details };
  for (const key of ["available_columns"]) {
    const value = details[key];
    if (Array.isArray(value)) details[key] = value.filter((column) => !(typeof column === "string" && sensitive.has(column)));
  }
  return { ...error, details };
}
