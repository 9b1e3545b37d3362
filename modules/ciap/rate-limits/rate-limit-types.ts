/** Where a scraper stands against its limit in the current window. */
export interface RateLimitStatus {
  readonly scraper_name: string;
  /** True when one more request would stay within the limit. */
  readonly allowed: boolean;
  /** Requests counted in the current window (0 when the window has passed or none was counted). */
  readonly request_count: number;
  /** Requests still allowed in the current window. */
  readonly remaining: number;
  /** When the current window ends; `null` when no window is open. */
  readonly reset_at: Date | null;
}

/** What `RateLimitService.tryAcquire` answers: the status after the call, and whether this request was counted. */
export interface AcquireOutcome extends RateLimitStatus {
  /** True when the request fitted under the limit and was counted. */
  readonly acquired: boolean;
}

/** Longest `rate_limits.scraper_name`. */
export const MAX_SCRAPER_NAME_LENGTH = 50;
