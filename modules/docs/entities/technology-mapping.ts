import { Check, Column, Entity, Index, PrimaryColumn, Unique } from "typeorm";

/** Kinds of source a technology can map to. */
export const MAPPING_SOURCE_TYPES = ["github", "web"] as const;
/** A mapping's source kind. */
export type MappingSourceType = (typeof MAPPING_SOURCE_TYPES)[number];

/** Which authoritative source documents a technology (seed 004 `technology_mappings`); higher priority wins. */
@Entity({ name: "technology_mappings" })
@Unique("uq_technology_mappings_source", ["technology", "source_type", "owner", "repo", "base_url"])
@Check("chk_technology_mappings_source_type", "source_type IN ('github', 'web')")
@Index("idx_technology_mappings_technology", ["technology"])
@Index("idx_technology_mappings_source_type", ["source_type"])
@Index("idx_technology_mappings_priority", ["priority"])
@Index("idx_technology_mappings_is_active", ["is_active"])
@Index("idx_technology_mappings_is_official", ["is_official"])
export class TechnologyMapping {
  @PrimaryColumn({ type: "text" })
  mapping_id: string;

  @Column({ type: "text" })
  technology: string;

  @Column({ type: "text" })
  source_type: string;

  /** GitHub owner or organisation. */
  @Column({ type: "text", nullable: true })
  owner: string | null;

  /** GitHub repository name. */
  @Column({ type: "text", nullable: true })
  repo: string | null;

  /** Path of the documentation inside the repository. */
  @Column({ type: "text", default: "docs" })
  docs_path: string;

  /** File patterns to search for (a JSON array). */
  @Column({ type: "simple-json", default: '["*.md", "*.mdx"]' })
  file_patterns: string[];

  /** Base URL of a web source. */
  @Column({ type: "text", nullable: true })
  base_url: string | null;

  /** Higher number = higher priority. */
  @Column({ type: "integer", default: 1 })
  priority: number;

  /** True for official documentation. */
  @Column({ type: "boolean", default: false })
  is_official: boolean;

  @Column({ type: "datetime", nullable: true })
  last_updated: Date | null;

  /** How often to check for updates. */
  @Column({ type: "integer", default: 24 })
  update_frequency_hours: number;

  @Column({ type: "boolean", default: true })
  is_active: boolean;

  @Column({ type: "datetime", default: () => "CURRENT_TIMESTAMP" })
  created_at: Date;

  @Column({ type: "datetime", default: () => "CURRENT_TIMESTAMP" })
  updated_at: Date;
}
