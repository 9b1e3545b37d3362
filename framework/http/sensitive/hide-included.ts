import type { EntityMetadata } from "typeorm";
import type { CrudRecord } from "../../crud/crud-types";
import { sensitiveOf, withoutSensitive } from "./hide-sensitive";

/**
 * {@link withoutSensitive} for a record and the related records included in it: each nested
 * record loses the sensitive columns of its own table.
 */
export function withoutSensitiveDeep(record: CrudRecord, metadata: EntityMetadata): CrudRecord {
  const visible = withoutSensitive(record, sensitiveOf(metadata));
  let copy: CrudRecord | undefined;
  for (const relation of metadata.relations) {
    const value = visible[relation.propertyName];
    if (value === undefined || value === null) continue;
    copy ??= { ...visible };
    const related = relation.inverseEntityMetadata;
    copy[relation.propertyName] = Array.isArray(value) ? value.map((item: CrudRecord) => withoutSensitiveDeep(item, related)) : withoutSensitiveDeep(value as CrudRecord, related);
  }
  return copy ?? visible;
}
