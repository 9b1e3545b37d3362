import type { ErdColumn, ErdModel, ErdRelation } from "./erd-model";

/** Mermaid allows word characters in attribute types; `varchar(500)` becomes `varchar_500`. */
function mermaidType(type: string): string {
  return type.replace(/[^A-Za-z0-9_]+/g, "_").replace(/_+$/, "") || "unknown";
}

function keys(column: ErdColumn): string {
  const marks = [column.primary ? "PK" : "", column.foreign ? "FK" : "", column.unique && !column.primary ? "UK" : ""].filter((mark) => mark !== "");
  return marks.length === 0 ? "" : ` ${marks.join(",")}`;
}

function comment(column: ErdColumn): string {
  return column.nullable ? ' "nullable"' : "";
}

/** Crow's-foot ends: the parent side is exactly one (or zero-or-one when the key is nullable). */
function connector(relation: ErdRelation): string {
  const parent = relation.optional ? "|o" : "||";
  const child = relation.cardinality === "one-to-one" ? "o|" : "o{";
  return `${parent}--${child}`;
}

function label(relation: ErdRelation): string {
  const cross = relation.crossModule === null ? "" : ` (module ${relation.crossModule}, not enforced)`;
  return `"${relation.columns.join(", ")}${cross}"`.replace(/\n/g, " ");
}

/**
 * The model as a Mermaid `erDiagram`: one entity block per table (type, name, PK/FK/UK, "nullable"),
 * one line per foreign key from the referenced table to the referencing one, labelled with the
 * key's columns. A table of another module is drawn as an empty entity and the label says so.
 */
export function renderMermaid(model: ErdModel): string {
  const lines = ["erDiagram"];
  for (const table of model.tables) {
    lines.push(`  ${table.name} {`);
    for (const column of table.columns) lines.push(`    ${mermaidType(column.type)} ${column.name}${keys(column)}${comment(column)}`);
    lines.push("  }");
  }
  const foreign = [...new Set(model.relations.filter((relation) => relation.crossModule !== null).map((relation) => relation.to))];
  for (const name of foreign) lines.push(`  ${name} {`, "  }");
  for (const relation of model.relations) lines.push(`  ${relation.to} ${connector(relation)} ${relation.from} : ${label(relation)}`);
  return `${lines.join("\n")}\n`;
}
