import type { SeedContext } from "../../../framework/seeds/seed-types";
import type { SqlStatement } from "../../../framework/sql/sql-types";
import { DocsSql } from "../docs-sql";

/** The schema version this module's tables correspond to. */
export const INITIAL_SCHEMA_VERSION = "1.0.0";

interface SeedMapping {
  readonly technology: string;
  readonly source_type: "github" | "web";
  readonly owner?: string;
  readonly repo?: string;
  readonly docs_path?: string;
  readonly file_patterns?: readonly string[];
  readonly base_url?: string;
  readonly priority: number;
  readonly is_official: boolean;
}

/** Authoritative documentation sources for a few common technologies. */
const MAPPINGS: readonly SeedMapping[] = [
  { technology: "react", source_type: "github", owner: "reactjs", repo: "react.dev", docs_path: "src/content", priority: 10, is_official: true },
  { technology: "react", source_type: "web", base_url: "https://react.dev/reference", priority: 5, is_official: true },
  { technology: "typescript", source_type: "github", owner: "microsoft", repo: "TypeScript-Website", docs_path: "packages/documentation/copy/en", priority: 10, is_official: true },
  { technology: "python", source_type: "web", base_url: "https://docs.python.org/3/", priority: 10, is_official: true, file_patterns: ["*.html"] },
  { technology: "fastapi", source_type: "github", owner: "fastapi", repo: "fastapi", docs_path: "docs/en/docs", priority: 10, is_official: true },
  { technology: "sqlite", source_type: "web", base_url: "https://www.sqlite.org/docs.html", priority: 8, is_official: true, file_patterns: ["*.html"] },
];

/** Runtime settings the docs system starts with. */
const SETTINGS: Readonly<Record<string, unknown>> = {
  "search.cache_ttl_seconds": 3600,
  "search.max_results": 20,
  "ingestion.min_quality_score": 0.4,
  "sources.max_consecutive_failures": 5,
};

/** A stable id per mapping, so the seed recognises rows it wrote before. */
function mappingId(mapping: SeedMapping): string {
  return `seed:${mapping.technology}:${mapping.source_type}:${mapping.owner ?? ""}/${mapping.repo ?? ""}:${mapping.base_url ?? ""}`;
}

/**
 * Seeds the docs database: the initial schema version, default settings and technology
 * mappings. Idempotent: rows are keyed by stable ids and inserted only when missing, so a second
 * run changes nothing and settings an operator changed are kept. All or nothing, in one transaction.
 */
export async function seed({ container }: SeedContext): Promise<Record<string, number>> {
  const sql = container.resolve(DocsSql);
  const statements: SqlStatement[] = [
    ["INSERT INTO schema_versions (version_id, description) VALUES (?, ?) ON CONFLICT(version_id) DO NOTHING", [INITIAL_SCHEMA_VERSION, "Initial docs schema (seed 004)"]],
    ...Object.entries(SETTINGS).map(([key, value]): SqlStatement => ["INSERT INTO system_config (key, value, updated_by) VALUES (?, ?, 'seed') ON CONFLICT(key) DO NOTHING", [key, JSON.stringify(value)]]),
    ...MAPPINGS.map((mapping): SqlStatement => [
      `INSERT INTO technology_mappings (mapping_id, technology, source_type, owner, repo, docs_path, file_patterns, base_url, priority, is_official)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(mapping_id) DO NOTHING`,
      [
        mappingId(mapping),
        mapping.technology,
        mapping.source_type,
        mapping.owner ?? null,
        mapping.repo ?? null,
        mapping.docs_path ?? "docs",
        JSON.stringify(mapping.file_patterns ?? ["*.md", "*.mdx"]),
        mapping.base_url ?? null,
        mapping.priority,
        mapping.is_official,
      ],
    ]),
  ];
  const result = await sql.executeTransaction(statements);
  if (result.isErr()) throw new Error(`docs seed failed [${result.error.code}]: ${result.error.message}`);
  // Statements run in the order built above: one version, then the settings, then the mappings.
  const inserted = (from: number, count: number) => result.value.slice(from, from + count).reduce((sum, outcome) => sum + outcome.changes, 0);
  const settings = Object.keys(SETTINGS).length;
  const created = { schema_versions: inserted(0, 1), system_config: inserted(1, settings), technology_mappings: inserted(1 + settings, MAPPINGS.length) };
  return Object.fromEntries(Object.entries(created).filter(([, count]) => count > 0));
}
