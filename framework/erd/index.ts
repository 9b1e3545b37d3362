import type { ModuleDatabase } from "../database/module-database";
import { buildErdModel, type ErdModel } from "./erd-model";
import { renderDot } from "./render-dot";
import { renderMermaid } from "./render-mermaid";
import { renderSvg } from "./render-svg";

export { buildErdModel, type ErdModel, type ErdTable, type ErdColumn, type ErdRelation, type ErdCardinality } from "./erd-model";
export { renderMermaid } from "./render-mermaid";
export { renderDot } from "./render-dot";
export { renderSvg } from "./render-svg";
export { renderDiagramDocument } from "./diagram-document";

/** The diagram formats `moduledb erd` and the ERD route produce. */
export const ERD_FORMATS = ["mermaid", "svg", "dot"] as const;
/** One of {@link ERD_FORMATS}. */
export type ErdFormat = (typeof ERD_FORMATS)[number];

/** MIME type of each format, for the HTTP route. */
export const ERD_CONTENT_TYPES: Readonly<Record<ErdFormat, string>> = {
  mermaid: "text/vnd.mermaid; charset=utf-8",
  svg: "image/svg+xml; charset=utf-8",
  dot: "text/vnd.graphviz; charset=utf-8",
};

/** The ER model of an open module database, from its TypeORM entity metadata. */
export function erdOf(database: ModuleDatabase, shows: (table: string) => boolean = () => true): ErdModel {
  return buildErdModel(database.name, database.tableMetadatas().filter((metadata) => shows(metadata.tableName)));
}

/** The diagram of `model` in `format`. */
export function renderErd(model: ErdModel, format: ErdFormat): string {
  if (format === "svg") return renderSvg(model);
  if (format === "dot") return renderDot(model);
  return renderMermaid(model);
}
