/**
 * The ciap module's database (seed 000/001): competitive-intelligence searches, their scraped
 * results, a TTL cache, a priority task queue, scraping jobs and per-scraper rate limits.
 */
import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn, type Relation } from "typeorm";

/** The database every ciap entity lives in: `data/ciap.db`. */
export const DATABASE_NAME = "ciap";

/** Search lifecycle states. */
export const SEARCH_STATUSES = ["pending", "processing", "completed", "failed"] as const;
/** A search's status. */
export type SearchStatus = (typeof SEARCH_STATUSES)[number];

/** A search query and its progress. */
@Entity({ name: "searches" })
@Index("idx_searches_status", ["status"])
export class Search {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: "varchar", length: 500 })
  query: string;

  @Column({ type: "varchar", length: 50, default: "pending" })
  status: string;

  /** Sources to search, e.g. `["google", "bing"]`. */
  @Column({ type: "simple-json", nullable: true })
  sources: string[] | null;

  @CreateDateColumn({ type: "datetime" })
  created_at: Date;

  @UpdateDateColumn({ type: "datetime" })
  updated_at: Date;

  @Column({ type: "datetime", nullable: true })
  completed_at: Date | null;

  @Column({ type: "text", nullable: true })
  error_message: string | null;

  @Column({ type: "varchar", length: 100, nullable: true })
  user_id: string | null;
}

/** One scraped result of a search, with its analysis. */
@Entity({ name: "search_results" })
@Index("idx_search_results_search_id", ["search_id"])
export class SearchResult {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: "integer", nullable: true })
  search_id: number | null;

  @ManyToOne(() => Search, { onDelete: "CASCADE", nullable: true })
  @JoinColumn({ name: "search_id" })
  search?: Relation<Search>;

  @Column({ type: "varchar", length: 50, nullable: true })
  source: string | null;

  @Column({ type: "varchar", length: 500, nullable: true })
  title: string | null;

  @Column({ type: "text", nullable: true })
  snippet: string | null;

  @Column({ type: "varchar", length: 1000, nullable: true })
  url: string | null;

  /** Ranking position within the source's results. */
  @Column({ type: "integer", nullable: true })
  position: number | null;

  @CreateDateColumn({ type: "datetime" })
  scraped_at: Date;

  @Column({ type: "real", nullable: true })
  sentiment_score: number | null;

  @Column({ type: "simple-json", nullable: true })
  competitor_mentioned: string[] | null;

  @Column({ type: "simple-json", nullable: true })
  keywords: string[] | null;

  @CreateDateColumn({ type: "datetime" })
  created_at: Date;

  @UpdateDateColumn({ type: "datetime" })
  updated_at: Date;
}

/** A cached value with an expiry time. */
@Entity({ name: "cache" })
@Index("idx_cache_expires", ["expires_at"])
export class Cache {
  @PrimaryColumn({ type: "varchar", length: 255 })
  key: string;

  @Column({ type: "text", nullable: true })
  value: string | null;

  @Column({ type: "datetime" })
  expires_at: Date;

  @CreateDateColumn({ type: "datetime" })
  created_at: Date;

  @UpdateDateColumn({ type: "datetime" })
  updated_at: Date;
}

/** Task lifecycle states. */
export const TASK_STATUSES = ["pending", "processing", "completed", "failed"] as const;
/** A task's status. */
export type TaskStatus = (typeof TASK_STATUSES)[number];

/** A background task; lower `priority` runs first (1 = highest, 10 = lowest). */
@Entity({ name: "task_queue" })
@Index("idx_task_queue_status", ["status", "priority"])
@Index("idx_task_queue_dequeue", ["status", "priority", "scheduled_at", "id"])
@Index("idx_task_queue_lease", ["status", "lease_until"])
export class TaskQueue {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: "varchar", length: 100 })
  task_type: string;

  @Column({ type: "simple-json", nullable: true })
  payload: Record<string, unknown> | null;

  @Column({ type: "varchar", length: 50, default: "pending" })
  status: string;

  @Column({ type: "integer", default: 5 })
  priority: number;

  @Column({ type: "datetime", default: () => "CURRENT_TIMESTAMP" })
  scheduled_at: Date;

  @Column({ type: "datetime", nullable: true })
  started_at: Date | null;

  @Column({ type: "datetime", nullable: true })
  completed_at: Date | null;

  @Column({ type: "text", nullable: true })
  error_message: string | null;

  @Column({ type: "integer", default: 0 })
  retry_count: number;

  @Column({ type: "integer", default: 3 })
  max_retries: number;

  @CreateDateColumn({ type: "datetime" })
  created_at: Date;

  @UpdateDateColumn({ type: "datetime" })
  updated_at: Date;

  /** Not handed out before this instant (delayed tasks, retry backoff); null: as soon as it is its turn. */
  @Column({ type: "datetime", nullable: true })
  run_after: Date | null;

  /** While `processing`: when its worker's lease ends; an expired lease is reclaimed by the next dequeue. */
  @Column({ type: "datetime", nullable: true })
  lease_until: Date | null;

  /** While `processing`: the token its worker completes or renews the lease with; a reclaimed task gets a new one. */
  @Column({ type: "varchar", length: 36, nullable: true })
  lease_token: string | null;
}

/** One scraper's run for a search. */
@Entity({ name: "scraping_jobs" })
export class ScrapingJob {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: "integer", nullable: true })
  search_id: number | null;

  @ManyToOne(() => Search, { onDelete: "CASCADE", nullable: true })
  @JoinColumn({ name: "search_id" })
  search?: Relation<Search>;

  @Column({ type: "varchar", length: 50, nullable: true })
  scraper_name: string | null;

  @Column({ type: "varchar", length: 50, default: "pending" })
  status: string;

  @Column({ type: "integer", default: 0 })
  results_count: number;

  @Column({ type: "datetime", nullable: true })
  started_at: Date | null;

  @Column({ type: "datetime", nullable: true })
  completed_at: Date | null;

  @Column({ type: "text", nullable: true })
  error_log: string | null;

  @CreateDateColumn({ type: "datetime" })
  created_at: Date;

  @UpdateDateColumn({ type: "datetime" })
  updated_at: Date;
}

/** Request counting per scraper within a window that resets at `reset_at`. */
@Entity({ name: "rate_limits" })
@Index("idx_rate_limits_scraper", ["scraper_name"])
export class RateLimit {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: "varchar", length: 50, nullable: true })
  scraper_name: string | null;

  @Column({ type: "datetime", nullable: true })
  last_request_at: Date | null;

  @Column({ type: "integer", default: 0 })
  request_count: number;

  @Column({ type: "datetime", nullable: true })
  reset_at: Date | null;

  @CreateDateColumn({ type: "datetime" })
  created_at: Date;

  @UpdateDateColumn({ type: "datetime" })
  updated_at: Date;
}
