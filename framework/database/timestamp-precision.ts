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
    const target = event.entity as ObjectLiteral | undefined;
    if (columns.length === 0 || target === undefined || target === null) return;
    const now = new Date();
    if (event.databaseEntity !== undefined) {
      // An update through save() carries the whole entity, whose update date holds the value read
      // earlier: it moves on (TypeORM would set it to CURRENT_TIMESTAMP, whole seconds).
      for (const column of columns) column.setEntityValue(target, now);
      return;
    }
    // A query-builder update (repository.update, manager.update) carries the caller's own object
    // of values: the date is added for the statement and taken out again afterwards.
    const added = columns.filter((column) => column.embeddedMetadata === undefined && column.getEntityValue(target) === undefined);
    for (const column of added) column.setEntityValue(target, now);
    if (added.length > 0) this.borrowed.set(target, added);
  }

  afterUpdate(event: UpdateEvent<ObjectLiteral>): void {
    const target = event.entity as ObjectLiteral | undefined;
    if (target === undefined || target === null) return;
    for (const column of this.borrowed.get(target) ?? []) delete target[column.propertyName];
    this.borrowed.delete(target);
  }

  /** Update dates added to callers' value objects, removed again once the update ran. */
  private readonly borrowed = new WeakMap<ObjectLiteral, ColumnMetadata[]>();
}
