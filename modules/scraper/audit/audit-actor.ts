/**
 * Who is making a change, as the audit log records it. Every write method of the scraper
 * services takes one; `userId` null means the system itself (seeds, schedulers).
 */
export interface AuditActor {
  readonly userId: string | null;
  /** Client address (INET in the seed, text here). */
  readonly ipAddress?: string | null;
  readonly userAgent?: string | null;
}

/** The actor of changes the system makes on its own. */
export const SYSTEM_ACTOR: AuditActor = { userId: null };
