import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from "typeorm";
import { ContentMetadata } from "./content-metadata";

/** Kinds of explicit feedback. */
export const FEEDBACK_TYPES = ["helpful", "not_helpful", "outdated", "incorrect", "flag"] as const;
/** A feedback event's kind. */
export type FeedbackType = (typeof FEEDBACK_TYPES)[number];

/** Explicit user feedback on a document (seed 004 `feedback_events`). */
@Entity({ name: "feedback_events" })
@Check("chk_feedback_events_feedback_type", "feedback_type IN ('helpful', 'not_helpful', 'outdated', 'incorrect', 'flag')")
@Check("chk_feedback_events_rating", "rating >= 1 AND rating <= 5")
@Index("idx_feedback_events_content_id", ["content_id"])
@Index("idx_feedback_events_feedback_type", ["feedback_type"])
@Index("idx_feedback_events_created_at", ["created_at"])
@Index("idx_feedback_events_user_session_id", ["user_session_id"])
export class FeedbackEvent {
  @PrimaryColumn({ type: "text" })
  event_id: string;

  @Column({ type: "text" })
  content_id: string;

  @ManyToOne(() => ContentMetadata, { onDelete: "CASCADE", nullable: false })
  @JoinColumn({ name: "content_id" })
  content?: Relation<ContentMetadata>;

  @Column({ type: "text" })
  feedback_type: string;

  @Column({ type: "integer", nullable: true })
  rating: number | null;

  @Column({ type: "text", nullable: true })
  comment: string | null;

  @Column({ type: "text", nullable: true })
  user_session_id: string | null;

  @Column({ type: "text", nullable: true })
  ip_address: string | null;

  @Column({ type: "text", nullable: true })
  user_agent: string | null;

  @Column({ type: "text", nullable: true })
  search_query: string | null;

  @Column({ type: "integer", nullable: true })
  result_position: number | null;

  @Column({ type: "datetime", default: () => "CURRENT_TIMESTAMP" })
  created_at: Date;
}
