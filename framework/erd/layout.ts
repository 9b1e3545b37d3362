import type { ErdModel, ErdTable } from "./erd-model";

/** Size of the text the SVG uses; widths are estimated from it (monospace, so estimates hold). */
export const LAYOUT_METRICS = { charWidth: 7.2, rowHeight: 18, headerHeight: 24, padding: 8, gap: 48, margin: 16 } as const;

/** Where one table's box sits. */
export interface TableBox {
  readonly table: ErdTable;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** Every box plus the canvas size. */
export interface DiagramLayout {
  readonly boxes: readonly TableBox[];
  readonly width: number;
  readonly height: number;
}

/** The text of one column row: `name  type  PK,FK`. */
export function columnText(column: ErdTable["columns"][number]): string {
  const marks = [column.primary ? "PK" : "", column.foreign ? "FK" : "", column.unique && !column.primary ? "UK" : ""].filter((mark) => mark !== "").join(",");
  return `${column.name}  ${column.type}${column.nullable ? "?" : ""}${marks === "" ? "" : `  ${marks}`}`;
}

function boxSize(table: ErdTable): { width: number; height: number } {
  const { charWidth, rowHeight, headerHeight, padding } = LAYOUT_METRICS;
  const longest = Math.max(table.name.length + 2, ...table.columns.map((column) => columnText(column).length));
  return { width: Math.ceil(longest * charWidth + 2 * padding), height: headerHeight + table.columns.length * rowHeight + padding };
}

/**
 * Orders tables so that referenced tables come before the tables that reference them (ties by
 * name), which puts parents left of and above their children in the grid.
 */
function orderByDependency(model: ErdModel): ErdTable[] {
  const depth = new Map<string, number>();
  const depthOf = (name: string, seen: Set<string>): number => {
    const known = depth.get(name);
    if (known !== undefined) return known;
    if (seen.has(name)) return 0;
    seen.add(name);
    const parents = model.relations.filter((relation) => relation.from === name && relation.to !== name && relation.crossModule === null);
    const value = parents.length === 0 ? 0 : 1 + Math.max(...parents.map((relation) => depthOf(relation.to, seen)));
    depth.set(name, value);
    return value;
  };
  return [...model.tables].sort((left, right) => depthOf(left.name, new Set()) - depthOf(right.name, new Set()) || left.name.localeCompare(right.name));
}

/**
 * A grid layout: tables in dependency order, row by row, about as many columns as rows. Each grid
 * column is as wide as its widest box and each row as tall as its tallest, so boxes never overlap.
 */
export function layoutDiagram(model: ErdModel): DiagramLayout {
  const { gap, margin } = LAYOUT_METRICS;
  const tables = orderByDependency(model);
  const columns = Math.max(1, Math.ceil(Math.sqrt(tables.length)));
  const sizes = tables.map(boxSize);
  const columnWidths = Array.from({ length: columns }, (_, column) => Math.max(0, ...sizes.filter((_, index) => index % columns === column).map((size) => size.width)));
  const rows = Math.ceil(tables.length / columns);
  const rowHeights = Array.from({ length: rows }, (_, row) => Math.max(0, ...sizes.slice(row * columns, row * columns + columns).map((size) => size.height)));
  const columnX = columnWidths.map((_, column) => margin + columnWidths.slice(0, column).reduce((sum, width) => sum + width + gap, 0));
  const rowY = rowHeights.map((_, row) => margin + rowHeights.slice(0, row).reduce((sum, height) => sum + height + gap, 0));
  const boxes = tables.map((table, index) => {
    const size = sizes[index] ?? { width: 0, height: 0 };
    return { table, x: columnX[index % columns] ?? margin, y: rowY[Math.floor(index / columns)] ?? margin, ...size };
  });
  const width = margin * 2 + columnWidths.reduce((sum, value) => sum + value, 0) + gap * Math.max(0, columns - 1);
  const height = margin * 2 + rowHeights.reduce((sum, value) => sum + value, 0) + gap * Math.max(0, rows - 1);
  return { boxes, width: Math.ceil(width), height: Math.ceil(height) };
}
