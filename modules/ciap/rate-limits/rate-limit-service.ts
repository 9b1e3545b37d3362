import { ok, Result, type ResultAsync } from "neverthrow";
import { inject, injectable } from "tsyringe";
import type { EntityManager, Repository } from "typeorm";
import { InjectDatabase, InjectRepository, ModuleDatabase, type DbError } from "../../../framework";
import { DATABASE_NAME, RateLimit } from "../db-models";
import { attempt } from "../shared/attempt";
import { CiapClock } from "../shared/clock";
import { requireInteger, requirePositiveNumber, requireText } from "../shared/validate";
import { MAX_SCRAPER_NAME_LENGTH, type AcquireOutcome, type RateLimitStatus } from "./rate-limit-types";

/** Requests counted in the window open at `now` (none once `reset_at` has passed). */
function countInWindow(row: RateLimit | null, now: Date): { count: number; resetAt: Date | null } {
  if (row === null || row.reset_at === null || row.reset_at.getTime() <= now.getTime()) return { count: 0, resetAt: null };
  return { count: row.request_count, resetAt: row.reset_at };
}

function statusOf(scraperName: string, count: number, resetAt: Date | null, maxRequests: number): RateLimitStatus {
  return { scraper_name: scraperName, allowed: count < maxRequests, request_count: count, remaining: Math.max(0, maxRequests - count), reset_at: resetAt };
}

/**
 * Fixed-window request counting per scraper. A window opens with the first request counted after
 * the previous one ended and lasts `windowSeconds`; `check` asks whether a scraper is still under
 * its limit, `update` counts a request, and `tryAcquire` does both atomically (use it when several
 * workers share a scraper: check-then-update from two workers could both pass).
 */
@injectable()
export class RateLimitService {
  constructor(
    @InjectDatabase(DATABASE_NAME) private readonly db: ModuleDatabase,
    @InjectRepository(RateLimit) private readonly limits: Repository<RateLimit>,
    @inject(CiapClock) private readonly clock: CiapClock,
  ) {}

  /** Whether `scraperName` may make another request under a limit of `maxRequests` per window. */
  check(scraperName: string, maxRequests: number): ResultAsync<RateLimitStatus, DbError> {
    return Result.combine([requireText("scraperName", scraperName, MAX_SCRAPER_NAME_LENGTH), requireInteger("maxRequests", maxRequests, 0)]).asyncAndThen(([name, max]) =>
      attempt(() => this.limits.findOneBy({ scraper_name: name })).map((row) => {
        const { count, resetAt } = countInWindow(row, this.clock.now());
        return statusOf(name, count, resetAt, max);
      }),
    );
  }

  /** Counts one request of `scraperName`, opening a new window of `windowSeconds` if none is open; returns the stored row. */
  update(scraperName: string, windowSeconds: number): ResultAsync<RateLimit, DbError> {
    return Result.combine([requireText("scraperName", scraperName, MAX_SCRAPER_NAME_LENGTH), requirePositiveNumber("windowSeconds", windowSeconds)]).asyncAndThen(([name, window]) =>
      this.db.transaction((manager) => this.countRequest(manager, name, window)),
    );
  }

  /**
   * Counts a request only if it fits: in one transaction, checks `scraperName` against
   * `maxRequests` per `windowSeconds` and, when allowed, counts it. Returns the status after the
   * call and whether this request was counted.
   */
  tryAcquire(scraperName: string, maxRequests: number, windowSeconds: number): ResultAsync<AcquireOutcome, DbError> {
    const validated = Result.combine([
      requireText("scraperName", scraperName, MAX_SCRAPER_NAME_LENGTH),
      requireInteger("maxRequests", maxRequests, 0),
      requirePositiveNumber("windowSeconds", windowSeconds),
    ]);
    return validated.asyncAndThen(([name, max, window]) =>
      this.db.transaction(async (manager) => {
        const row = await manager.findOneBy(RateLimit, { scraper_name: name });
        const before = countInWindow(row, this.clock.now());
        if (before.count >= max) return { ...statusOf(name, before.count, before.resetAt, max), acquired: false };
        const counted = await this.countRequest(manager, name, window);
        // `allowed` says whether one more request would fit after this one.
        return { ...statusOf(name, counted.request_count, counted.reset_at, max), acquired: true };
      }),
    );
  }

  /** Clears the count of one scraper, or of every scraper when none is named; returns how many rows were reset. */
  reset(scraperName?: string): ResultAsync<number, DbError> {
    const scope: Result<string | undefined, DbError> = scraperName === undefined ? ok(undefined) : requireText("scraperName", scraperName, MAX_SCRAPER_NAME_LENGTH);
    return scope.asyncAndThen((name) =>
      this.db.transaction(async (manager) => {
        const builder = manager.createQueryBuilder().update(RateLimit).set({ request_count: 0, reset_at: null });
        const outcome = await (name === undefined ? builder : builder.where("scraper_name = :name", { name })).execute();
        return outcome.affected ?? 0;
      }),
    );
  }

  /** Counts one request inside the caller's transaction. */
  private async countRequest(manager: EntityManager, name: string, windowSeconds: number): Promise<RateLimit> {
    const now = this.clock.now();
    const row = await manager.findOneBy(RateLimit, { scraper_name: name });
    const { count, resetAt } = countInWindow(row, now);
    const windowEnd = resetAt ?? new Date(now.getTime() + windowSeconds * 1000);
    const values = { scraper_name: name, request_count: count + 1, reset_at: windowEnd, last_request_at: now };
    if (row === null) {
      const inserted = await manager.insert(RateLimit, values);
      return manager.findOneByOrFail(RateLimit, { id: inserted.identifiers[0]?.id as number });
    }
    await manager.update(RateLimit, { id: row.id }, values);
    return manager.findOneByOrFail(RateLimit, { id: row.id });
  }
}
