import { DefaultNamingStrategy, EntitySchema, getMetadataArgsStorage } from "typeorm";
import type { EntityClassOrSchema } from "./discovered-module";

const namingStrategy = new DefaultNamingStrategy();

/** True for a class decorated with TypeORM's `@Entity`. */
export function isEntityClass(value: unknown): value is new (...args: never[]) => object {
  return typeof value === "function" && getMetadataArgsStorage().tables.some((table) => table.target === value && table.type !== "view");
}

/** True for a TypeORM `EntitySchema` (or an object built by one from another copy of TypeORM). */
export function isEntitySchema(value: unknown): value is EntitySchema {
  return value instanceof EntitySchema || (typeof value === "object" && value !== null && (value as { "@instanceof"?: unknown })["@instanceof"] === Symbol.for("EntitySchema"));
}

/** True for anything the framework accepts as an entity. */
export function isEntity(value: unknown): value is EntityClassOrSchema {
  return isEntityClass(value) || isEntitySchema(value);
}

/**
 * The entities a `db-models` file declares: its `entities` export when present,
 * otherwise every exported `@Entity` class or `EntitySchema`.
 * Returns `undefined` entries' positions when an explicit list holds something that is not an entity.
 */
export function extractEntities(exports: Record<string, unknown>): { entities: EntityClassOrSchema[]; invalid: string[] } {
  const explicit = exports.entities;
  if (explicit !== undefined) {
    if (!Array.isArray(explicit)) return { entities: [], invalid: ["entities (not an array)"] };
    const invalid = explicit.flatMap((value, index) => (isEntity(value) ? [] : [`entities[${index}]`]));
    return { entities: explicit.filter(isEntity), invalid };
  }
  const entities = Object.values(exports).filter(isEntity);
  return { entities: [...new Set(entities)], invalid: [] };
}

/** The table an entity maps to, as TypeORM's default naming strategy will name it. */
export function tableNameOf(entity: EntityClassOrSchema): string {
  if (isEntitySchema(entity)) return entity.options.tableName ?? namingStrategy.tableName(entity.options.name, undefined);
  const table = getMetadataArgsStorage().tables.find((candidate) => candidate.target === entity);
  return namingStrategy.tableName(entity.name, table?.name);
}

/** A readable name for an entity: its class or schema name. */
export function entityNameOf(entity: EntityClassOrSchema): string {
  return isEntitySchema(entity) ? entity.options.name : entity.name;
}
