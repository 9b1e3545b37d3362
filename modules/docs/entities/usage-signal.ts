import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from "typeorm";
import { ContentMetadata } from "./content-metadata";

/** Kinds of implicit interaction. */
export const SIGNAL_TYPES = ["click", "dwell_time", "copy", "share", "scroll_depth"] as const;
/** A usage signal's kind. */
export type SignalType = (typeof SIGNAL_TYPES)[number];

/** An implicit user interaction with a document (seed 004 `usage_signals`). */
@Entity({ name: "usage_signals" })
@Check("chk_usage_signals_signal_type", "signal_type IN ('click', 'dwell_time', 'copy', 'share', 'scroll_depth')")
@Index("idx_usage_signals_content_id", ["content_id"])
@Index("idx_usage_signals_signal_type", ["signal_type"])
@Index("idx_usage_signals_created_at", ["created_at"])
@Index("idx_usage_signals_user_session_id", ["user_session_id"])
export class UsageSignal {
  @PrimaryColumn({ type: "text" })
  signal_id: string;

  @Column({ type: "text" })
  content_id: string;

  @ManyToOne(() => ContentMetadata, { onDelete: "CASCADE", nullable: false })
  @JoinColumn({ name: "content_id" })
  content?: Relation<ContentMetadata>;

  @Column({ type: "text" })
  signal_type: string;

  /** click = 1, dwell_time = seconds, scroll_depth = percentage. */
  @Column({ type: "real", default: 0.0 })
  signal_value: number;

  @Column({ type: "text", nullable: true })
  search_query: string | null;

  @Column({ type: "integer", nullable: true })
  result_position: number | null;

  @Column({ type: "text", nullable: true })
  user_session_id: string | null;

  @Column({ type: "text", nullable: true })
  ip_address: string | null;

  @Column({ type: "text", nullable: true })
  user_agent: string | null;

  @Column({ type: "text", nullable: true })
  referrer: string | null;

  @Column({ type: "datetime", default: () => "CURRENT_TIMESTAMP" })
  created_at: Date;
}
