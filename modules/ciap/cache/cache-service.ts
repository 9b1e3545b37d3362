import { Result, type ResultAsync } from "neverthrow";
import { inject, injectable } from "tsyringe";
import { LessThanOrEqual, MoreThan, type Repository } from "typeorm";
import { InjectDatabase, InjectRepository, ModuleDatabase, type DbError } from "../../../framework";
import { Cache, DATABASE_NAME } from "../db-models";
import { attempt } from "../shared/attempt";
import { CiapClock } from "../shared/clock";
import { requirePositiveNumber, requireString, requireText } from "../shared/validate";

/** Longest cache key the `cache.key` column holds. */
export const MAX_CACHE_KEY_LENGTH = 255;

/**
 * A key/value cache in the ciap database with a time to live per entry. An entry counts as
 * expired from its `expires_at` on: `get` no longer returns it and `cleanupExpired` deletes it.
 */
@injectable()
export class CiapCacheService {
  constructor(
    @InjectDatabase(DATABASE_NAME) private readonly db: ModuleDatabase,
    @InjectRepository(Cache) private readonly entries: Repository<Cache>,
    @inject(CiapClock) private readonly clock: CiapClock,
  ) {}

  /** The value stored under `key`, or `null` when there is none or it has expired. */
  get(key: string): ResultAsync<string | null, DbError> {
    return requireText("key", key, MAX_CACHE_KEY_LENGTH).asyncAndThen((validKey) =>
      attempt(() => this.entries.findOneBy({ key: validKey, expires_at: MoreThan(this.clock.now()) })).map((entry) => entry?.value ?? null),
    );
  }

  /** Stores `value` under `key` for `ttlSeconds` (> 0), replacing any earlier entry; returns the entry. */
  set(key: string, value: string, ttlSeconds: number): ResultAsync<Cache, DbError> {
    const validated = Result.combine([
      requireText("key", key, MAX_CACHE_KEY_LENGTH),
      requireString("value", value),
      requirePositiveNumber("ttlSeconds", ttlSeconds),
    ]);
    return validated.asyncAndThen(([validKey, validValue, ttl]) =>
      this.db.transaction(async (manager) => {
        const now = this.clock.now();
        // Replace rather than update, as the seed does: a re-set entry is a new entry (fresh created_at).
        await manager.delete(Cache, { key: validKey });
        await manager.insert(Cache, { key: validKey, value: validValue, created_at: now, expires_at: new Date(now.getTime() + ttl * 1000) });
        return manager.findOneByOrFail(Cache, { key: validKey });
      }),
    );
  }

  /** Removes `key`; true when there was an entry (expired or not) to remove. */
  delete(key: string): ResultAsync<boolean, DbError> {
    return requireText("key", key, MAX_CACHE_KEY_LENGTH).asyncAndThen((validKey) => attempt(() => this.entries.delete({ key: validKey })).map((outcome) => (outcome.affected ?? 0) > 0));
  }

  /** Deletes every expired entry and says how many there were. */
  cleanupExpired(): ResultAsync<number, DbError> {
    return attempt(() => this.entries.delete({ expires_at: LessThanOrEqual(this.clock.now()) })).map((outcome) => outcome.affected ?? 0);
  }
}
