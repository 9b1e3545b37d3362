import type { ErdModel } from "./erd-model";

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function quoted(text: string): string {
  return `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

/**
 * The model as a Graphviz `digraph`: each table an HTML-label node (header row, one row per column
 * with its type and keys), each foreign key an edge from the referencing table to the referenced one
 * with crow's-foot arrowheads (`crow` on the many side, `tee` or `odot` on the parent side).
 */
export function renderDot(model: ErdModel): string {
  const lines = [`digraph ${quoted(model.database)} {`, "  rankdir=LR;", '  node [shape=plaintext, fontname="sans-serif", fontsize=10];', '  edge [fontname="sans-serif", fontsize=9];'];
  for (const table of model.tables) {
    const rows = table.columns.map((column) => {
      const marks = [column.primary ? "PK" : "", column.foreign ? "FK" : "", column.unique && !column.primary ? "UK" : ""].filter((mark) => mark !== "").join(",");
      return `<tr><td align="left" port=${quoted(column.name)}>${escapeHtml(column.name)}</td><td align="left">${escapeHtml(column.type)}${column.nullable ? "?" : ""}</td><td>${marks}</td></tr>`;
    });
    lines.push(`  ${quoted(table.name)} [label=<<table border="0" cellborder="1" cellspacing="0"><tr><td colspan="3" bgcolor="#dde6f3"><b>${escapeHtml(table.name)}</b></td></tr>${rows.join("")}</table>>];`);
  }
  for (const relation of model.relations) {
    if (relation.crossModule !== null) lines.push(`  ${quoted(relation.to)} [shape=box, style=dashed, label=${quoted(`${relation.to} (module ${relation.crossModule})`)}];`);
    const head = relation.optional ? "teeodot" : "teetee";
    const tail = relation.cardinality === "one-to-one" ? "teeodot" : "crowodot";
    const style = relation.crossModule === null ? "" : ", style=dashed";
    lines.push(`  ${quoted(relation.from)} -> ${quoted(relation.to)} [dir=both, arrowhead=${head}, arrowtail=${tail}, label=${quoted(relation.columns.join(", "))}${style}];`);
  }
  lines.push("}");
  return `${lines.join("\n")}\n`;
}
