import { randomUUID } from "node:crypto";
import { errAsync, ok, type ResultAsync } from "neverthrow";
import { injectable } from "tsyringe";
import { MoreThan, type EntityManager } from "typeorm";
import { InjectDatabase } from "../../../framework/container/tokens";
import type { ModuleDatabase } from "../../../framework/database/module-database";
import type { AuditActor } from "../audit/audit-actor";
import { recordAudit } from "../audit/record-audit";
import { DATABASE_NAME } from "../db-models";
import { ApiRateLimit } from "../entities/api-rate-limit";
import { invalidInput, type ScraperError } from "../support/scraper-error";
import { readQuery, writeTransaction } from "../support/write-transaction";

/** Calls of one user to one endpoint in the current window. */
export interface RateWindow {
  readonly userId: string;
  readonly endpoint: string;
  readonly count: number;
  readonly windowStart: Date;
  readonly windowEndsAt: Date;
}

/** The verdict for one more call. */
export interface RateDecision extends RateWindow {
  readonly allowed: boolean;
  readonly remaining: number;
}

function checkArgs(userId: string, endpoint: string, windowMs: number): ScraperError | undefined {
  if (typeof userId !== "string" || userId === "") return invalidInput("userId", "is required.");
  if (typeof endpoint !== "string" || endpoint === "" || endpoint.length > 100) return invalidInput("endpoint", "must be 1 to 100 characters.");
  if (!Number.isInteger(windowMs) || windowMs <= 0) return invalidInput("windowMs", "must be a positive integer of milliseconds.");
  return undefined;
}

/** The open window (started less than `windowMs` ago) of a user and endpoint, newest first. */
function openWindow(manager: EntityManager, userId: string, endpoint: string, windowMs: number, now: Date): Promise<ApiRateLimit | null> {
  return manager.findOne(ApiRateLimit, {
    where: { user_id: userId, endpoint, window_start: MoreThan(new Date(now.getTime() - windowMs)) },
    order: { window_start: "DESC" },
  });
}

/**
 * Counts API calls per user and endpoint in fixed windows (seed 002 `api_rate_limits`): the first
 * call after a window closes opens a new row. Counting is one write transaction, so concurrent
 * calls are all counted. Every counted call is audited like any other change.
 */
@injectable()
export class ApiRateLimitService {
  constructor(@InjectDatabase(DATABASE_NAME) private readonly database: ModuleDatabase) {}

  /** Counts one call and returns the window it fell in. */
  record(actor: AuditActor, userId: string, endpoint: string, windowMs: number): ResultAsync<RateWindow, ScraperError> {
    const bad = checkArgs(userId, endpoint, windowMs);
    if (bad !== undefined) return errAsync(bad);
    return writeTransaction(this.database, async (manager) => {
      const now = new Date();
      const open = await openWindow(manager, userId, endpoint, windowMs, now);
      let window: { id: string; count: number; start: Date };
      if (open === null) {
        window = { id: randomUUID(), count: 1, start: now };
        await manager.insert(ApiRateLimit, { id: window.id, user_id: userId, endpoint, request_count: 1, window_start: now });
      } else {
        window = { id: open.id, count: (open.request_count ?? 0) + 1, start: open.window_start };
        await manager.increment(ApiRateLimit, { id: open.id }, "request_count", 1);
      }
      await recordAudit(manager, actor, { action: open === null ? "api_rate_limit.create" : "api_rate_limit.increment", resourceType: "api_rate_limit", resourceId: window.id, details: { endpoint, count: window.count } });
      return ok({ userId, endpoint, count: window.count, windowStart: window.start, windowEndsAt: new Date(window.start.getTime() + windowMs) });
    });
  }

  /** Calls counted in the current window (0 when none is open). */
  count(userId: string, endpoint: string, windowMs: number): ResultAsync<number, ScraperError> {
    const bad = checkArgs(userId, endpoint, windowMs);
    if (bad !== undefined) return errAsync(bad);
    return readQuery(this.database, (manager) => openWindow(manager, userId, endpoint, windowMs, new Date())).map((open) => open?.request_count ?? 0);
  }

  /** Whether one more call fits under `limit` in the current window (does not count it). */
  check(userId: string, endpoint: string, limit: number, windowMs: number): ResultAsync<RateDecision, ScraperError> {
    if (!Number.isInteger(limit) || limit < 1) return errAsync(invalidInput("limit", "must be a positive integer."));
    const bad = checkArgs(userId, endpoint, windowMs);
    if (bad !== undefined) return errAsync(bad);
    const now = new Date();
    return readQuery(this.database, (manager) => openWindow(manager, userId, endpoint, windowMs, now)).map((open) => {
      const count = open?.request_count ?? 0;
      const windowStart = open?.window_start ?? now;
      return { userId, endpoint, count, windowStart, windowEndsAt: new Date(windowStart.getTime() + windowMs), allowed: count < limit, remaining: Math.max(0, limit - count) };
    });
  }
}
