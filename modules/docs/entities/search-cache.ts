import { Column, Entity, Index, PrimaryColumn } from "typeorm";

/** A cached search and its results (seed 004 `search_cache`); expired rows are swept on a schedule. */
@Entity({ name: "search_cache" })
@Index("idx_search_cache_expires_at", ["expires_at"])
@Index("idx_search_cache_technology_hint", ["technology_hint"])
@Index("idx_search_cache_created_at", ["created_at"])
export class SearchCache {
  @PrimaryColumn({ type: "text" })
  query_hash: string;

  @Column({ type: "text" })
  original_query: string;

  @Column({ type: "simple-json" })
  search_results: unknown;

  @Column({ type: "text", nullable: true })
  technology_hint: string | null;

  /** Workspace slugs searched (a JSON array). */
  @Column({ type: "simple-json", nullable: true })
  workspace_slugs: string[] | null;

  @Column({ type: "integer", default: 0 })
  result_count: number;

  @Column({ type: "integer", default: 0 })
  execution_time_ms: number;

  @Column({ type: "boolean", default: false })
  cache_hit: boolean;

  @Column({ type: "datetime", default: () => "CURRENT_TIMESTAMP" })
  created_at: Date;

  @Column({ type: "datetime" })
  expires_at: Date;

  @Column({ type: "integer", default: 0 })
  access_count: number;

  @Column({ type: "datetime", default: () => "CURRENT_TIMESTAMP" })
  last_accessed_at: Date;
}
