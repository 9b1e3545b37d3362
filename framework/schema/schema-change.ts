/** Kinds of difference between a database's entities and its real schema. */
export type SchemaChangeKind =
  | "add_table"
  | "add_column"
  | "add_index"
  | "drop_index"
  | "drop_table"
  | "drop_column"
  | "change_column"
  | "add_required_column"
  | "change_constraint";

/** One difference, and whether boot may apply it without risking data. */
export interface SchemaChange {
  readonly kind: SchemaChangeKind;
  readonly table: string;
  /** The column, index or constraint concerned, when there is one. */
  readonly name?: string;
  /** True when applying it can neither drop nor rewrite data. */
  readonly additive: boolean;
  readonly description: string;
}

/** Kinds that boot applies on its own. */
export const ADDITIVE_KINDS: ReadonlySet<SchemaChangeKind> = new Set(["add_table", "add_column", "add_index", "drop_index"]);

/** Builds a change, deriving `additive` from its kind. */
export function schemaChange(kind: SchemaChangeKind, table: string, description: string, name?: string): SchemaChange {
  const change: { kind: SchemaChangeKind; table: string; additive: boolean; description: string; name?: string } = {
    kind,
    table,
    additive: ADDITIVE_KINDS.has(kind),
    description,
  };
  if (name !== undefined) change.name = name;
  return change;
}
