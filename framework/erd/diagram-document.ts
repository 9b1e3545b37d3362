import type { ErdModel } from "./erd-model";
import { renderMermaid } from "./render-mermaid";

/**
 * The Markdown page `docs/diagrams/<module>.md` holds: a heading, how it was made, the Mermaid
 * diagram and a table of the foreign keys. Generated, never edited by hand — a test compares it
 * with what the entities produce.
 */
export function renderDiagramDocument(model: ErdModel): string {
  const relations = model.relations.map((relation) => {
    const target = relation.crossModule === null ? relation.to : `${relation.crossModule}.${relation.to} (other module, not enforced)`;
    return `| ${relation.from}.${relation.columns.join(", ")} | ${target}.${relation.referencedColumns.join(", ")} | ${relation.cardinality}${relation.optional ? ", optional" : ""} | ${relation.onDelete ?? ""} |`;
  });
  return [
    `# Schema diagram: ${model.database}`,
    "",
    `Generated from the TypeORM entities of \`modules/${model.database}/\` by \`moduledb erd ${model.database} --format markdown\`.`,
    "Do not edit by hand: `test/docs/diagrams.test.ts` fails when this file differs from what the entities produce.",
    "",
    "```mermaid",
    renderMermaid(model).trimEnd(),
    "```",
    "",
    `${model.tables.length} tables, ${model.relations.length} foreign keys.`,
    "",
    ...(relations.length === 0
      ? ["No foreign keys."]
      : ["| foreign key | references | cardinality | on delete |", "| --- | --- | --- | --- |", ...relations]),
    "",
  ].join("\n");
}
