import type { EntityMetadata } from "typeorm";
import type { AccessLevel } from "../../access/access-policy";
import type { Framework } from "../../boot/framework";
import { apiError, ApiErrorException } from "../errors/api-error";
import { unwrapDb } from "../errors/unwrap";

/** A table the generic API may show, with its level. */
export interface VisibleTable {
  readonly metadata: EntityMetadata;
  readonly access: Exclude<AccessLevel, "hidden">;
}

/**
 * The generic API's gate to a table: hidden and absent tables alike are 404 TABLE_NOT_FOUND
 * (listing only visible tables); with `write`, a `read` table is 403 TABLE_READ_ONLY. Route
 * handlers call it before touching the CrudService, so nothing is read or written otherwise.
 */
export async function guardTable(framework: Framework, database: string, table: string, intent: "read" | "write"): Promise<VisibleTable> {
  const db = await unwrapDb(framework.databases.get(database));
  const visible = await unwrapDb(framework.access.visibleTable(db, table));
  if (intent === "write") {
    const writable = framework.access.writableTable(db, table);
    if (writable.isErr() && writable.error.code === "TABLE_READ_ONLY") throw new ApiErrorException(apiError("TABLE_READ_ONLY", writable.error.message, "core.http", { ...writable.error.details }));
  }
  return visible;
}
