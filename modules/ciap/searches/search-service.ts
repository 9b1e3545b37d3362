import { err, errAsync, ok, okAsync, Result, type ResultAsync } from "neverthrow";
import { inject, injectable } from "tsyringe";
import type { Repository } from "typeorm";
import { InjectDatabase, InjectRepository, ModuleDatabase, type DbError } from "../../../framework";
import { DATABASE_NAME, Search, SEARCH_STATUSES, type SearchStatus } from "../db-models";
import { attempt, recordNotFound } from "../shared/attempt";
import { CiapClock } from "../shared/clock";
import { pageRequest, toPage, type CiapPage } from "../shared/paging";
import { optionalStringArray, optionalText, requireId, requireOneOf, requireText } from "../shared/validate";
import { In } from "typeorm";
import { invalid } from "../shared/validate";
import { FINAL_SEARCH_STATUSES, MAX_QUERY_LENGTH, MAX_STATUS_BATCH, MAX_USER_ID_LENGTH, STATUS_BATCH_CHUNK, type BatchStatusReport, type ListSearchesQuery } from "./search-types";

/**
 * Searches: the queries users ask ciap to research, and where each one stands
 * (`pending` → `processing` → `completed` | `failed`).
 */
@injectable()
export class SearchService {
  constructor(
    @InjectDatabase(DATABASE_NAME) private readonly db: ModuleDatabase,
    @InjectRepository(Search) private readonly searches: Repository<Search>,
    @inject(CiapClock) private readonly clock: CiapClock,
  ) {}

  /** Records a new `pending` search and returns it with its id. */
  create(query: string, sources: readonly string[] = [], userId: string | null = null): ResultAsync<Search, DbError> {
    const validated = Result.combine([
      requireText("query", query, MAX_QUERY_LENGTH),
      optionalStringArray("sources", sources),
      optionalText("user_id", userId, MAX_USER_ID_LENGTH),
    ]);
    return validated.asyncAndThen(([validQuery, validSources, validUserId]) =>
      this.db.transaction(async (manager) => {
        const now = this.clock.now();
        const inserted = await manager.insert(Search, {
          query: validQuery,
          sources: validSources ?? [],
          user_id: validUserId,
          status: "pending",
          created_at: now,
          updated_at: now,
        });
        const id = inserted.identifiers[0]?.id as number;
        return manager.findOneByOrFail(Search, { id });
      }),
    );
  }

  /** One search by id, or RECORD_NOT_FOUND. */
  get(id: number): ResultAsync<Search, DbError> {
    return requireId("id", id).asyncAndThen((validId) =>
      attempt(() => this.searches.findOneBy({ id: validId })).andThen((search) => (search === null ? errAsync(recordNotFound("searches", validId)) : okAsync(search))),
    );
  }

  /** One page of searches, newest first, optionally only those in one status. */
  list(query: ListSearchesQuery = {}): ResultAsync<CiapPage<Search>, DbError> {
    const status: Result<SearchStatus | undefined, DbError> = query?.status === undefined ? ok(undefined) : requireOneOf("status", query.status, SEARCH_STATUSES);
    return Result.combine([pageRequest(query?.page, query?.pageSize), status]).asyncAndThen(([request, validStatus]) =>
      // findAndCount is one gated unit: the page and its total come from the same moment.
      attempt(() =>
        this.searches.findAndCount({
          where: validStatus === undefined ? {} : { status: validStatus },
          order: { created_at: "DESC", id: "DESC" },
          skip: (request.page - 1) * request.pageSize,
          take: request.pageSize,
        }),
      ).map(([records, total]) => toPage(records, request, total)),
    );
  }

  /**
   * Moves a search to `status`, stamping `updated_at`; `completed` and `failed` also stamp
   * `completed_at` (other statuses clear it). `errorMessage` replaces the stored one (cleared when omitted).
   */
  updateStatus(id: number, status: SearchStatus, errorMessage: string | null = null): ResultAsync<Search, DbError> {
    const validated = Result.combine([requireId("id", id), requireOneOf("status", status, SEARCH_STATUSES), optionalText("error_message", errorMessage, Number.MAX_SAFE_INTEGER)]);
    return validated.asyncAndThen(([validId, validStatus, validError]) =>
      this.db
        .transaction(async (manager) => {
          const now = this.clock.now();
          const outcome = await manager.update(Search, { id: validId }, {
            status: validStatus,
            updated_at: now,
            completed_at: FINAL_SEARCH_STATUSES.includes(validStatus) ? now : null,
            error_message: validError,
          });
          return outcome.affected === 0 ? null : manager.findOneByOrFail(Search, { id: validId });
        })
        .andThen((search) => (search === null ? errAsync(recordNotFound("searches", validId)) : okAsync(search))),
    );
  }

  /**
   * Moves many searches to one `status` in one transaction (`UPDATE … WHERE id IN (…)`, in chunks),
   * stamping them as {@link updateStatus} does. All or nothing: an id that does not exist refuses
   * the whole batch (RECORD_NOT_FOUND listing the missing ids) and nothing is changed.
   */
  updateStatuses(ids: readonly number[], status: SearchStatus, errorMessage: string | null = null): ResultAsync<BatchStatusReport, DbError> {
    const validIds: Result<number[], DbError> = !Array.isArray(ids) || ids.length === 0 || ids.length > MAX_STATUS_BATCH
      ? err(invalid("ids", `must be an array of 1 to ${MAX_STATUS_BATCH} search ids.`))
      : Result.combine(ids.map((id, index) => requireId(`ids[${index}]`, id))).map((checked) => [...new Set(checked)]);
    const validated = Result.combine([validIds, requireOneOf("status", status, SEARCH_STATUSES), optionalText("error_message", errorMessage, Number.MAX_SAFE_INTEGER)]);
    return validated.asyncAndThen(([unique, validStatus, validError]) => {
      let missing: number[] = [];
      return this.db
        .transaction(async (manager) => {
          const now = this.clock.now();
          const values = { status: validStatus, updated_at: now, completed_at: FINAL_SEARCH_STATUSES.includes(validStatus) ? now : null, error_message: validError };
          let updated = 0;
          for (let start = 0; start < unique.length; start += STATUS_BATCH_CHUNK) {
            const chunk = unique.slice(start, start + STATUS_BATCH_CHUNK);
            updated += (await manager.update(Search, { id: In(chunk) }, values)).affected ?? 0;
          }
          if (updated === unique.length) return updated;
          const found = new Set((await manager.find(Search, { select: { id: true }, where: { id: In(unique) } })).map((search) => search.id));
          missing = unique.filter((id) => !found.has(id));
          // Throwing rolls the transaction back: a partial batch is never kept.
          throw new Error(`searches not found: ${missing.join(", ")}`);
        })
        .map((updated): BatchStatusReport => ({ status: validStatus, updated }))
        .mapErr((error) => (missing.length === 0 ? error : { ...recordNotFound("searches", missing[0]), message: `No search with id ${missing.join(", ")}; no status was changed.`, details: { table_name: "searches", missing } }));
    });
  }
}
