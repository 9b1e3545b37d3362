import type { Driver, EntityMetadata, Table } from "typeorm";

/** A column the entity no longer has, paired with a new column of the same type: probably a rename. */
export interface ColumnRename {
  readonly table: string;
  readonly from: string;
  readonly to: string;
  /** True when another pairing was possible too, so the author must check the guess. */
  readonly ambiguous: boolean;
  /** Every new column of the same type the old one could have become. */
  readonly candidates: readonly string[];
}

/**
 * Finds likely renames in one table. TypeORM sees a renamed column as one column dropped and one
 * added, which would lose the data; pairing them (same type, in column order) lets the migration
 * rename instead. A pairing is flagged ambiguous when the old column had several candidates or
 * the new column could have come from several old ones.
 */
export function detectRenames(table: Table, metadata: EntityMetadata, driver: Driver): ColumnRename[] {
  const declared = metadata.columns.filter((column) => !column.isVirtualProperty);
  const declaredNames = new Set(declared.map((column) => column.databaseName));
  const existingNames = new Set(table.columns.map((column) => column.name));
  const dropped = table.columns.filter((column) => !declaredNames.has(column.name));
  const added = declared.filter((column) => !existingNames.has(column.databaseName));
  const wantedType = (name: string): string => driver.normalizeType(declared.find((column) => column.databaseName === name)!).toLowerCase();

  const renames: ColumnRename[] = [];
  const taken = new Set<string>();
  for (const old of dropped) {
    const candidates = added.filter((column) => wantedType(column.databaseName) === old.type.toLowerCase()).map((column) => column.databaseName);
    const choice = candidates.find((name) => !taken.has(name));
    if (choice === undefined) continue;
    taken.add(choice);
    const rivals = dropped.filter((other) => other !== old && other.type.toLowerCase() === wantedType(choice));
    renames.push({ table: table.name, from: old.name, to: choice, ambiguous: candidates.length > 1 || rivals.length > 0, candidates });
  }
  return renames;
}
