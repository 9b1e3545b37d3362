import { EventSubscriber, type EntitySubscriberInterface, type InsertEvent, type ObjectLiteral, type UpdateEvent } from "typeorm";
import type { ColumnMetadata } from "typeorm/metadata/ColumnMetadata";

function fill(columns: readonly ColumnMetadata[], target: ObjectLiteral | undefined, now: Date): void {
  if (target === undefined || target === null) return;
  for (const column of columns) {
    if (column.getEntityValue(target) === undefined) column.setEntityValue(target, now);
  }
}

/**
 * Gives `@CreateDateColumn` and `@UpdateDateColumn` values their milliseconds. On SQLite TypeORM
 * leaves them to the column default, `datetime('now')`, which has whole seconds only, and sets
 * update dates to `CURRENT_TIMESTAMP` (seconds too); rows written in the same second could not be
 * ordered by them. This subscriber puts the current time (with milliseconds, stored as
 * `YYYY-MM-DD HH:MM:SS.SSS` UTC) into such a column whenever a write through TypeORM (repositories,
 * the entity manager, query builders, CrudService) leaves it unset. Values given explicitly are kept.
 * Every module DataSource lists it (TypeORM only loads subscribers a DataSource names).
 */
@EventSubscriber()
export class TimestampPrecisionSubscriber implements EntitySubscriberInterface<ObjectLiteral> {
  beforeInsert(event: InsertEvent<ObjectLiteral>): void {
    const columns = event.metadata.columns.filter((column) => column.isCreateDate || column.isUpdateDate);
    if (columns.length > 0) fill(columns, event.entity, new Date());
  }

  beforeUpdate(event: UpdateEvent<ObjectLiteral>): void {
    const columns = event.metadata.columns.filter((column) => column.isUpdateDate);
    if (columns.length === 0 || event.entity === undefined) return;
    // An update through save() carries the whole entity, whose update date holds the value read
    // earlier: it must move on. A query-builder update carries only the columns being set.
    const now = new Date();
    for (const column of columns) {
      if (event.databaseEntity !== undefined || column.getEntityValue(event.entity as ObjectLiteral) === undefined) column.setEntityValue(event.entity as ObjectLiteral, now);
    }
  }
}
