import type { EntityMetadata } from "typeorm";

const sensitiveProperties = new WeakMap<object, Set<string>>();

/**
 * Property decorator: marks a column as sensitive (password hashes, token hashes, secrets).
 * Sensitive columns never appear in API output or logs and cannot be filtered or sorted on there.
 */
export function Sensitive(): PropertyDecorator {
  return (prototype, property) => {
    const target = prototype.constructor;
    const set = sensitiveProperties.get(target) ?? new Set<string>();
    set.add(String(property));
    sensitiveProperties.set(target, set);
  };
}

/** Marks columns of an entity (class or EntitySchema target) as sensitive without a decorator. */
export function markSensitive(target: object, ...properties: string[]): void {
  const set = sensitiveProperties.get(target) ?? new Set<string>();
  for (const property of properties) set.add(property);
  sensitiveProperties.set(target, set);
}

/** Database names of the sensitive columns of a table. */
export function sensitiveColumns(metadata: EntityMetadata): Set<string> {
  const properties = new Set<string>();
  for (const target of [metadata.target, ...metadata.inheritanceTree]) {
    if (typeof target === "function" || (typeof target === "object" && target !== null)) {
      for (const property of sensitiveProperties.get(target as object) ?? []) properties.add(property);
    }
  }
  return new Set(metadata.columns.filter((column) => properties.has(column.propertyName)).map((column) => column.databaseName));
}
