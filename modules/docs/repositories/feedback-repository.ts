import { randomUUID } from "node:crypto";
import { errAsync, Result, type ResultAsync } from "neverthrow";
import { inject, injectable } from "tsyringe";
import type { DbError } from "../../../framework/errors/db-error";
import { DocsSql } from "../docs-sql";
import { FEEDBACK_TYPES, type FeedbackType } from "../entities/feedback-event";
import { SIGNAL_TYPES, type SignalType } from "../entities/usage-signal";
import { optionalInteger, optionalNumber, optionalText, requireText } from "./row-values";

/** Where a feedback event or signal came from (all optional). */
export interface InteractionContext {
  readonly user_session_id?: string | null;
  readonly ip_address?: string | null;
  readonly user_agent?: string | null;
  readonly search_query?: string | null;
  readonly result_position?: number | null;
}

/** Explicit feedback on a document. */
export interface NewFeedback extends InteractionContext {
  readonly content_id: string;
  /** Checked by the table's CHECK constraint. */
  readonly feedback_type: FeedbackType | string;
  /** 1..5, checked by the table's CHECK constraint. */
  readonly rating?: number | null;
  readonly comment?: string | null;
}

/** An implicit interaction with a document. */
export interface NewSignal extends InteractionContext {
  readonly content_id: string;
  readonly signal_type: SignalType | string;
  /** click = 1, dwell_time = seconds, scroll_depth = percentage. */
  readonly signal_value?: number;
  readonly referrer?: string | null;
}

/** Count, sum and mean of one kind of signal. */
export interface SignalAggregate {
  readonly count: number;
  readonly total: number;
  readonly average: number;
}

/** Everything users told us about one document, explicitly and implicitly. */
export interface ContentFeedbackSummary {
  readonly content_id: string;
  readonly feedback_count: number;
  readonly feedback_by_type: Readonly<Record<FeedbackType, number>>;
  readonly rating_count: number;
  /** Mean of the ratings given, or null when nobody rated. */
  readonly average_rating: number | null;
  readonly signals_by_type: Readonly<Record<SignalType, SignalAggregate>>;
}

interface AggregateRow extends Record<string, unknown> {
  kind: "feedback" | "signal";
  type: string;
  count: number;
  total: number | null;
  rated: number;
}

function contextValues(input: InteractionContext): Result<[string | null, string | null, string | null, string | null, number | null], DbError> {
  return Result.combine([
    optionalText(input.user_session_id, "user_session_id"),
    optionalText(input.ip_address, "ip_address"),
    optionalText(input.user_agent, "user_agent"),
    optionalText(input.search_query, "search_query"),
    optionalInteger(input.result_position, "result_position"),
  ]);
}

/** Explicit feedback events and implicit usage signals (seed 004, PRD-011): record and aggregate per document. */
@injectable()
export class FeedbackRepository {
  constructor(@inject(DocsSql) private readonly sql: DocsSql) {}

  /** Records one feedback event and returns its id; an unknown document is CONSTRAINT_VIOLATION. */
  recordFeedback(input: NewFeedback): ResultAsync<string, DbError> {
    const values = Result.combine([requireText(input.content_id, "content_id"), requireText(input.feedback_type, "feedback_type"), optionalInteger(input.rating, "rating"), optionalText(input.comment, "comment")]);
    const context = contextValues(input);
    if (values.isErr()) return errAsync(values.error);
    if (context.isErr()) return errAsync(context.error);
    const eventId = randomUUID();
    return this.sql
      .execute(
        `INSERT INTO feedback_events (event_id, content_id, feedback_type, rating, comment, user_session_id, ip_address, user_agent, search_query, result_position)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [eventId, ...values.value, ...context.value],
      )
      .map(() => eventId);
  }

  /** Records one usage signal and returns its id; an unknown document is CONSTRAINT_VIOLATION. */
  recordSignal(input: NewSignal): ResultAsync<string, DbError> {
    const values = Result.combine([requireText(input.content_id, "content_id"), requireText(input.signal_type, "signal_type"), optionalNumber(input.signal_value, "signal_value").map((v) => v ?? 0)]);
    const context = contextValues(input);
    const referrer = optionalText(input.referrer, "referrer");
    if (values.isErr()) return errAsync(values.error);
    if (context.isErr()) return errAsync(context.error);
    if (referrer.isErr()) return errAsync(referrer.error);
    const signalId = randomUUID();
    return this.sql
      .execute(
        `INSERT INTO usage_signals (signal_id, content_id, signal_type, signal_value, user_session_id, ip_address, user_agent, search_query, result_position, referrer)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [signalId, ...values.value, ...context.value, referrer.value],
      )
      .map(() => signalId);
  }

  /**
   * Feedback counts by type, the mean rating and signal statistics by type for one document.
   * One statement reads both tables, so the figures come from one consistent snapshot.
   */
  summarize(contentId: string): ResultAsync<ContentFeedbackSummary, DbError> {
    return this.sql
      .fetchAll<AggregateRow>(
        `SELECT 'feedback' AS kind, feedback_type AS type, CAST(COUNT(*) AS INTEGER) AS count, CAST(SUM(rating) AS DOUBLE PRECISION) AS total, CAST(COUNT(rating) AS INTEGER) AS rated
           FROM feedback_events WHERE content_id = ? GROUP BY feedback_type
         UNION ALL
         SELECT 'signal' AS kind, signal_type AS type, CAST(COUNT(*) AS INTEGER) AS count, CAST(SUM(signal_value) AS DOUBLE PRECISION) AS total, 0 AS rated
           FROM usage_signals WHERE content_id = ? GROUP BY signal_type`,
        [contentId, contentId],
      )
      .map((rows) => summarizeRows(contentId, rows));
  }
}

function summarizeRows(contentId: string, rows: readonly AggregateRow[]): ContentFeedbackSummary {
  const feedbackByType = Object.fromEntries(FEEDBACK_TYPES.map((type) => [type, 0])) as Record<FeedbackType, number>;
  const signalsByType = Object.fromEntries(SIGNAL_TYPES.map((type) => [type, { count: 0, total: 0, average: 0 }])) as Record<SignalType, SignalAggregate>;
  let ratingSum = 0;
  let ratingCount = 0;
  for (const row of rows) {
    if (row.kind === "feedback") {
      feedbackByType[row.type as FeedbackType] = row.count;
      ratingSum += row.total ?? 0;
      ratingCount += row.rated;
    } else {
      const total = row.total ?? 0;
      signalsByType[row.type as SignalType] = { count: row.count, total, average: row.count === 0 ? 0 : total / row.count };
    }
  }
  return {
    content_id: contentId,
    feedback_count: Object.values(feedbackByType).reduce((sum, count) => sum + count, 0),
    feedback_by_type: feedbackByType,
    rating_count: ratingCount,
    average_rating: ratingCount === 0 ? null : ratingSum / ratingCount,
    signals_by_type: signalsByType,
  };
}
