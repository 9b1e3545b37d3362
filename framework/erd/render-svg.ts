import type { ErdModel, ErdRelation } from "./erd-model";
import { columnText, layoutDiagram, LAYOUT_METRICS, type TableBox } from "./layout";

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&apos;");
}

interface Point {
  readonly x: number;
  readonly y: number;
}

/** Where the line from the centre of `box` towards `target` leaves the box's border. */
function borderPoint(box: TableBox, target: Point): Point {
  const centre = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  const dx = target.x - centre.x;
  const dy = target.y - centre.y;
  if (dx === 0 && dy === 0) return centre;
  const scale = Math.min(dx === 0 ? Infinity : box.width / 2 / Math.abs(dx), dy === 0 ? Infinity : box.height / 2 / Math.abs(dy));
  return { x: centre.x + dx * scale, y: centre.y + dy * scale };
}

function round(value: number): string {
  return (Math.round(value * 10) / 10).toString();
}

function tableGroup(box: TableBox): string {
  const { headerHeight, rowHeight, padding } = LAYOUT_METRICS;
  const rows = box.table.columns.map((column, index) => {
    const y = box.y + headerHeight + rowHeight * index + rowHeight - 5;
    const style = column.primary ? ' font-weight="bold"' : column.foreign ? ' fill="#1d4f91"' : "";
    return `<text x="${round(box.x + padding)}" y="${round(y)}"${style}>${escapeXml(columnText(column))}</text>`;
  });
  return [
    `<g class="erd-table" data-table="${escapeXml(box.table.name)}">`,
    `<rect x="${round(box.x)}" y="${round(box.y)}" width="${round(box.width)}" height="${round(box.height)}" rx="4" fill="#ffffff" stroke="#51606f"/>`,
    `<rect x="${round(box.x)}" y="${round(box.y)}" width="${round(box.width)}" height="${headerHeight}" rx="4" fill="#dde6f3" stroke="#51606f"/>`,
    `<text x="${round(box.x + padding)}" y="${round(box.y + headerHeight - 7)}" font-weight="bold">${escapeXml(box.table.name)}</text>`,
    ...rows,
    "</g>",
  ].join("");
}

function relationLine(relation: ErdRelation, boxes: ReadonlyMap<string, TableBox>): string {
  const from = boxes.get(relation.from);
  const to = boxes.get(relation.to);
  if (from === undefined || to === undefined) return "";
  const toCentre = { x: to.x + to.width / 2, y: to.y + to.height / 2 };
  const fromCentre = { x: from.x + from.width / 2, y: from.y + from.height / 2 };
  const start = borderPoint(from, toCentre);
  const end = borderPoint(to, fromCentre);
  const many = relation.cardinality === "many-to-one" ? ' marker-start="url(#many)"' : "";
  const dash = relation.optional ? ' stroke-dasharray="5 3"' : "";
  const label = `${relation.columns.join(", ")} ${relation.cardinality === "many-to-one" ? "N:1" : "1:1"}`;
  const middle = { x: (start.x + end.x) / 2, y: (start.y + end.y) / 2 };
  return [
    `<g class="erd-relation" data-from="${escapeXml(relation.from)}" data-to="${escapeXml(relation.to)}">`,
    `<line x1="${round(start.x)}" y1="${round(start.y)}" x2="${round(end.x)}" y2="${round(end.y)}" stroke="#51606f"${dash}${many} marker-end="url(#one)"/>`,
    `<text x="${round(middle.x + 4)}" y="${round(middle.y - 4)}" fill="#51606f">${escapeXml(label)}</text>`,
    "</g>",
  ].join("");
}

/**
 * The model as a standalone SVG laid out by {@link layoutDiagram}: a box per table (header, one
 * line per column), a line per foreign key with a crow's foot on the referencing side and a bar on
 * the referenced one; dashed when the key is nullable. Tables of other modules are listed in a note
 * at the bottom, since they are not drawn.
 */
export function renderSvg(model: ErdModel): string {
  const layout = layoutDiagram(model);
  const boxes = new Map(layout.boxes.map((box) => [box.table.name, box]));
  const cross = model.relations.filter((relation) => relation.crossModule !== null);
  const noteHeight = cross.length === 0 ? 0 : 18 * cross.length + 8;
  const height = layout.height + noteHeight;
  const notes = cross.map((relation, index) => `<text x="16" y="${layout.height + 14 + index * 18}">${escapeXml(`${relation.from}.${relation.columns.join(",")} → ${relation.crossModule}.${relation.to} (other module, not enforced)`)}</text>`);
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<svg xmlns="http://www.w3.org/2000/svg" width="${layout.width}" height="${height}" viewBox="0 0 ${layout.width} ${height}" font-family="ui-monospace, monospace" font-size="12" role="img" aria-label="${escapeXml(`ER diagram of ${model.database}`)}">`,
    `<title>${escapeXml(`ER diagram of ${model.database}`)}</title>`,
    `<defs><marker id="many" viewBox="0 0 12 12" refX="1" refY="6" markerWidth="12" markerHeight="12" orient="auto-start-reverse"><path d="M12 0 L0 6 L12 12" fill="none" stroke="#51606f"/></marker><marker id="one" viewBox="0 0 12 12" refX="11" refY="6" markerWidth="12" markerHeight="12" orient="auto"><path d="M8 0 L8 12" stroke="#51606f"/></marker></defs>`,
    `<rect width="100%" height="100%" fill="#f7f9fb"/>`,
    ...model.relations.map((relation) => relationLine(relation, boxes)),
    ...layout.boxes.map(tableGroup),
    ...notes,
    "</svg>",
  ].join("\n") + "\n";
}
