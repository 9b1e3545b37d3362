/**
 * Source text of small modules that tests write into temporary roots. They are plain strings so
 * that each test decides which module folders exist; vitest imports them as TypeScript.
 */

/** Path from `<temp root>/modules/<name>/` to this repository's `framework/` entry point. */
export const FRAMEWORK_IMPORT = "../../../../framework";

/**
 * A `db-models.ts` with one `@Entity` class per table name given; each table has an `id` key,
 * a required `title`, a nullable `note` and an index named `idx_<table>_title`.
 */
export function simpleModels(databaseName: string, tables: readonly string[], className = "Row"): string {
  const classes = tables.map(
    (table, index) => `
@Entity({ name: ${JSON.stringify(table)} })
@Index(${JSON.stringify(`idx_${table}_title`)}, ["title"])
export class ${className}${index} {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: "varchar", length: 200 }) title: string;
  @Column({ type: "text", nullable: true }) note: string | null;
}`,
  );
  return `import { Column, Entity, Index, PrimaryGeneratedColumn } from "typeorm";
export const DATABASE_NAME = ${JSON.stringify(databaseName)};
${classes.join("\n")}
`;
}
