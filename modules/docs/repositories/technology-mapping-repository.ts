import { randomUUID } from "node:crypto";
import { err, errAsync, ok, Result, type ResultAsync } from "neverthrow";
import { inject, injectable } from "tsyringe";
import type { DbError } from "../../../framework/errors/db-error";
import type { SqlRow } from "../../../framework/sql/sql-types";
import { DocsSql } from "../docs-sql";
import type { MappingSourceType } from "../entities/technology-mapping";
import { invalidField, notFound, optionalInteger, optionalText, parseJson, requireText, toBoolean } from "./row-values";

/** A `technology_mappings` row as read back. */
export interface TechnologyMappingRecord {
  readonly mapping_id: string;
  readonly technology: string;
  readonly source_type: MappingSourceType;
  readonly owner: string | null;
  readonly repo: string | null;
  readonly docs_path: string;
  readonly file_patterns: string[];
  readonly base_url: string | null;
  readonly priority: number;
  readonly is_official: boolean;
  readonly last_updated: string | null;
  readonly update_frequency_hours: number;
  readonly is_active: boolean;
  readonly created_at: string;
  readonly updated_at: string;
}

/** What `add` needs; unset fields take the seed's defaults. */
export interface NewTechnologyMapping {
  readonly mapping_id?: string;
  readonly technology: string;
  /** Checked by the table's CHECK constraint: github or web. */
  readonly source_type: MappingSourceType | string;
  readonly owner?: string | null;
  readonly repo?: string | null;
  readonly docs_path?: string;
  readonly file_patterns?: readonly string[];
  readonly base_url?: string | null;
  readonly priority?: number;
  readonly is_official?: boolean;
  readonly update_frequency_hours?: number;
}

function toRecord(row: SqlRow): TechnologyMappingRecord {
  const patterns = parseJson(row.file_patterns);
  return {
    ...(row as unknown as TechnologyMappingRecord),
    file_patterns: Array.isArray(patterns) ? patterns.map(String) : [],
    is_official: toBoolean(row.is_official),
    is_active: toBoolean(row.is_active),
  };
}

function filePatterns(value: readonly string[] | undefined): Result<string, DbError> {
  if (value === undefined) return ok('["*.md", "*.mdx"]');
  return Array.isArray(value) && value.every((pattern) => typeof pattern === "string" && pattern !== "")
    ? ok(JSON.stringify(value))
    : err(invalidField("file_patterns", "must be an array of non-empty strings."));
}

/** Which sources document which technology (seed 004 `technology_mappings`, PRD-006/010). */
@injectable()
export class TechnologyMappingRepository {
  constructor(@inject(DocsSql) private readonly sql: DocsSql) {}

  /**
   * Adds a mapping. The same (technology, source_type, owner, repo, base_url) twice is
   * CONSTRAINT_VIOLATION — with SQLite's UNIQUE semantics, where NULLs never collide.
   */
  add(input: NewTechnologyMapping): ResultAsync<TechnologyMappingRecord, DbError> {
    const values = Result.combine([
      optionalText(input.mapping_id, "mapping_id").map((id) => id ?? randomUUID()),
      requireText(input.technology, "technology"),
      requireText(input.source_type, "source_type"),
      optionalText(input.owner, "owner"),
      optionalText(input.repo, "repo"),
      optionalText(input.docs_path, "docs_path").map((path) => path ?? "docs"),
      filePatterns(input.file_patterns),
      optionalText(input.base_url, "base_url"),
      optionalInteger(input.priority, "priority").map((priority) => priority ?? 1),
      ok(input.is_official === true),
      optionalInteger(input.update_frequency_hours, "update_frequency_hours").map((hours) => hours ?? 24),
    ]);
    if (values.isErr()) return errAsync(values.error);
    const mappingId = values.value[0];
    return this.sql
      .fetchOne(
        `INSERT INTO technology_mappings (mapping_id, technology, source_type, owner, repo, docs_path, file_patterns, base_url, priority, is_official, update_frequency_hours)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
        values.value,
      )
      .andThen((row) => (row === null ? err(notFound("technology_mappings", "mapping_id", mappingId)) : ok(toRecord(row))));
  }

  /** The sources of a technology, highest priority first (official before unofficial on a tie). */
  byTechnology(technology: string, options: { includeInactive?: boolean } = {}): ResultAsync<TechnologyMappingRecord[], DbError> {
    const activeClause = options.includeInactive === true ? "" : " AND is_active = TRUE";
    return this.sql
      .fetchAll(`SELECT * FROM technology_mappings WHERE technology = ?${activeClause} ORDER BY priority DESC, is_official DESC, mapping_id`, [technology])
      .map((rows) => rows.map(toRecord));
  }

  /** Every technology that has at least one active mapping, sorted. */
  technologies(): ResultAsync<string[], DbError> {
    return this.sql.fetchAll<{ technology: string }>("SELECT DISTINCT technology FROM technology_mappings WHERE is_active = TRUE ORDER BY technology").map((rows) => rows.map((row) => row.technology));
  }
}
